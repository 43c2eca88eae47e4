// A manual trigger starts this flow: fire it from the page, DevTools or useNvent().triggers.fire(name, data).
export const config = defineFunctionConfig({
  queue: { name: 'notifications' },
  flow: {
    name: 'notification-flow',
    role: 'entry',
    step: 'send-notification',
    triggers: {
      define: {
        name: 'manual.send-notification',
        type: 'manual',
        scope: 'flow',
        displayName: 'Send Notification',
        description: 'Manually trigger notification',
      },
      subscribe: ['manual.send-notification'],
      mode: 'auto',
    },
  },
})

export default defineFunction(async (input: { trigger?: { data?: unknown } }, ctx) => {
  const triggerData = input.trigger?.data
  ctx.logger.log('info', 'Notification sent', { data: triggerData })
  return { sent: true, data: triggerData }
})
