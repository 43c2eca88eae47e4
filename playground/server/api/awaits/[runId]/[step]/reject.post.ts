// Rejects a step's open await: the step and its run fail with `reason`.
export default defineEventHandler(async (event) => {
  const runId = getRouterParam(event, 'runId')!
  const step = getRouterParam(event, 'step')!
  const body = await jsonBody<{ reason?: unknown }>(event)
  if (body !== undefined && (!isObject(body) || (body.reason !== undefined && typeof body.reason !== 'string')))
    badRequest('the body must be { reason?: string }')
  if (!await useNvent().awaits.reject(runId, step, body?.reason as string | undefined))
    throw createError({ statusCode: 409, statusMessage: `step "${step}" of run "${runId}" has no open await` })
  return { rejected: true }
})
