// The accepted branch also emits `user.signed-up`, which the welcome flow's event trigger listens for.
export const config = defineFunctionConfig({
  queue: { name: 'signup' },
  flow: { name: 'signup', role: 'step', step: 'welcome-user', subscribes: ['signup.approved'], emits: ['user.signed-up'] },
})

export default defineFunction(async (input: { 'signup.approved': { email: string } }, ctx) => {
  ctx.logger.log('info', 'Welcome mail queued', input['signup.approved'])
  await ctx.flow.emit('user.signed-up', { email: input['signup.approved'].email })
  return { welcomed: input['signup.approved'].email }
})
