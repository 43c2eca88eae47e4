// A webhook await before the step: it runs once its URL is called (or the awaits API resolves it), with the
// request body as ctx.trigger. GET /api/awaits lists the open URLs.
export const config = defineFunctionConfig({
  queue: { name: 'approvals' },
  flow: {
    name: 'webhook-approval-flow',
    role: 'step',
    step: 'process-approval',
    subscribes: ['approval.requested'],
    awaitBefore: { type: 'webhook', method: 'POST', timeout: 300000, timeoutAction: 'fail' },
  },
})

// Called once the webhook URL exists. A real app hands it to the approver here (an email, a chat message);
// the playground's page shows it from useNvent().awaits.list(). Whoever holds the URL can answer, so it is
// never logged: the run's log only says that approval was requested.
export const onAwaitRegister = defineAwaitRegisterHook(async (_webhookUrl, info, ctx) => {
  ctx.logger.log('info', 'Approval requested', { deadline: info.deadline })
})

export default defineFunction(async (input: { 'approval.requested': { request: string } }, ctx) => {
  const approval = ctx.trigger as { approved?: boolean, comment?: string } | undefined
  if (!approval?.approved)
    throw new Error(`Approval denied: ${approval?.comment}`)
  ctx.logger.log('info', 'Request approved', input['approval.requested'])
  return { approved: true }
})
