// Entry of the approval flow; the next step waits for someone to call its webhook URL.
export const config = defineFunctionConfig({
  queue: { name: 'approvals' },
  flow: { name: 'webhook-approval-flow', role: 'entry', step: 'request-approval', emits: ['approval.requested'] },
})

export default defineFunction(async (input: { request?: string }, ctx) => {
  const request = input.request ?? 'New laptop'
  await ctx.flow.emit('approval.requested', { request })
  return { requested: request }
})
