// A page of the flow's runs, newest first: ?limit=20&cursor=<cursor of the previous page>.
export default defineEventHandler(async (event) => {
  const name = getRouterParam(event, 'name')!
  if (!useNvent().registry.flows[name])
    throw createError({ statusCode: 404, statusMessage: `no flow "${name}"` })
  const query = getQuery(event)
  const cursor = typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined
  return withStatus(() => useNvent().flow.listRuns(name, { limit: limitQuery(query.limit), cursor }))
})
