// An event trigger: every `user.signed-up` starts this flow, emitted by a signup run (welcome-user) or from
// anywhere with useNvent().events.emit('user.signed-up', data).
export const config = defineFunctionConfig({
  queue: { name: 'signup' },
  flow: {
    name: 'welcome-flow',
    role: 'entry',
    step: 'send-welcome',
    triggers: { define: { name: 'user.signed-up', type: 'event', scope: 'global', displayName: 'User signed up' } },
  },
})

export default defineFunction(async (input: { trigger?: { data?: { email?: string } } }, ctx) => {
  const email = input.trigger?.data?.email ?? 'unknown'
  ctx.logger.log('info', 'Welcome series started', { email })
  return { welcomed: email }
})
