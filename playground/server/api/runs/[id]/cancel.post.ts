// Cancels a run from whichever instance receives the request.
export default defineEventHandler(async (event) => {
  return { canceled: await useNvent().flow.cancel(getRouterParam(event, 'id')!) }
})
