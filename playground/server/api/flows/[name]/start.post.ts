// Starts a run of the flow with the request body as input.
export default defineEventHandler(async (event) => {
  const name = getRouterParam(event, 'name')!
  if (!useNvent().registry.flows[name])
    throw createError({ statusCode: 404, statusMessage: `no flow "${name}"` })
  const input = await readBody(event).catch(() => ({}))
  return withStatus(() => useNvent().flow.start(name, input ?? {}))
})
