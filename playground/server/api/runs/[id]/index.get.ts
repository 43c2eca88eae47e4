// A run's record and its event log.
export default defineEventHandler(async (event) => {
  const id = getRouterParam(event, 'id')!
  const run = await useNvent().flow.getRun(id)
  if (!run)
    throw createError({ statusCode: 404, statusMessage: `no run "${id}"` })
  return { run, events: await useNvent().flow.events(id) }
})
