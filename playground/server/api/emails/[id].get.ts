export default defineEventHandler(async (event) => {
  const job = await useNvent().queue.getJob('emails', getRouterParam(event, 'id')!)
  if (!job)
    throw createError({ statusCode: 404, statusMessage: 'no such email job' })
  return job
})
