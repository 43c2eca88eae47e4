// Emits an event from outside any run: starts its event-triggered flows and resolves the awaits it matches.
export default defineEventHandler(async (event) => {
  const data = await jsonBody(event)
  return withStatus(() => useNvent().events.emit(getRouterParam(event, 'name')!, data))
})
