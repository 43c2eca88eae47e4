export const config = defineFunctionConfig({
  queue: { name: 'notifications' },
  flow: { name: 'notification-confirmation-flow', role: 'step', step: 'confirm-notification', subscribes: ['notification.sent'] },
})

export default defineFunction(async (input: { 'notification.sent': { notificationId: string } }, ctx) => {
  ctx.logger.log('info', 'Notification confirmed', input['notification.sent'])
  return { confirmed: input['notification.sent'].notificationId }
})
