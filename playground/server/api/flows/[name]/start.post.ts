// Starts a run of the flow with the request body as input. An `Idempotency-Key` header makes a retried
// start return the run the first request made.
export default defineEventHandler(async (event) => {
  const name = getRouterParam(event, 'name')!
  if (!useNvent().registry.flows[name])
    throw createError({ statusCode: 404, statusMessage: `no flow "${name}"` })
  const input = await readBody(event).catch(() => ({}))
  const idempotencyKey = getHeader(event, 'idempotency-key')
  return withStatus(() => useNvent().flow.start(name, input ?? {}, { idempotencyKey }))
})
