export const config = defineFunctionConfig({
  queue: { name: 'signup' },
  flow: { name: 'signup', role: 'step', step: 'welcome-user', subscribes: ['signup.approved'] },
})

export default defineFunction(async (input: { 'signup.approved': { email: string } }, ctx) => {
  ctx.logger.log('info', 'Welcome mail queued', input['signup.approved'])
  return { welcomed: input['signup.approved'].email }
})
