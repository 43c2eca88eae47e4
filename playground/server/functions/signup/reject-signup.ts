export const config = defineFunctionConfig({
  queue: { name: 'signup' },
  flow: { name: 'signup', role: 'step', step: 'reject-signup', subscribes: ['signup.rejected'] },
})

export default defineFunction(async (input: { 'signup.rejected': { email: string } }, ctx) => {
  ctx.logger.log('warn', 'Signup rejected', input['signup.rejected'])
  return { rejected: input['signup.rejected'].email }
})
