// A conditional branch: only one of the two next steps runs, and the run still completes.
export const config = defineFunctionConfig({
  queue: { name: 'signup' },
  flow: { name: 'signup', role: 'entry', step: 'check-signup', emits: ['signup.approved', 'signup.rejected'] },
})

export default defineFunction(async (input: { email?: string }, ctx) => {
  const email = input.email ?? 'new.user@example.com'
  const approved = !email.endsWith('@spam.test')
  await ctx.flow.emit(approved ? 'signup.approved' : 'signup.rejected', { email })
  return { approved }
})
