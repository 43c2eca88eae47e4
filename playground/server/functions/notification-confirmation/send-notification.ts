// A time await after the step: its emit takes effect 5 s after it completed, so confirm-notification waits.
export const config = defineFunctionConfig({
  queue: { name: 'notifications' },
  flow: {
    name: 'notification-confirmation-flow',
    role: 'entry',
    step: 'send-notification',
    emits: ['notification.sent'],
    awaitAfter: { type: 'time', delay: 5000 },
  },
})

export default defineFunction(async (input: { to?: string }, ctx) => {
  ctx.logger.log('info', 'Notification sent', { to: input.to ?? 'user@example.com' })
  await ctx.flow.emit('notification.sent', { notificationId: ctx.runId })
  return { sent: true }
})
