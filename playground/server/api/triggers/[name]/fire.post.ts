// Fires a trigger by hand with the body as its data (input.trigger.data of the runs it starts).
export default defineEventHandler(async (event) => {
  const data = await jsonBody(event)
  return withStatus(() => useNvent().triggers.fire(getRouterParam(event, 'name')!, data))
})
