// A trigger's firings, newest first: ?limit=20&before=<cursor of the previous page>.
export default defineEventHandler(async (event) => {
  const name = getRouterParam(event, 'name')!
  const query = getQuery(event)
  const limit = limitQuery(query.limit)
  if (query.before !== undefined && typeof query.before !== 'string')
    badRequest('before must be a cursor string')
  if (!await useNvent().triggers.get(name))
    throw createError({ statusCode: 404, statusMessage: `unknown trigger "${name}"` })
  return withStatus(() => useNvent().triggers.history(name, { limit, before: query.before || undefined }))
})
