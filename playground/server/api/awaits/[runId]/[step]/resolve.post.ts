// Resolves a step's open await with the body as payload (ctx.trigger of a step that awaited before running).
export default defineEventHandler(async (event) => {
  const runId = getRouterParam(event, 'runId')!
  const step = getRouterParam(event, 'step')!
  const payload = await jsonBody(event)
  if (!await withStatus(() => useNvent().awaits.resolve(runId, step, payload)))
    throw createError({ statusCode: 409, statusMessage: `step "${step}" of run "${runId}" has no open await` })
  return { resolved: true }
})
