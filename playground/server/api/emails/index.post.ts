// Enqueues the plain send-email function.
export default defineEventHandler(async (event) => {
  const body = await readBody<{ to?: string }>(event).catch(() => undefined)
  const jobId = await useNvent().queue.enqueue('emails', {
    name: 'send-email',
    data: { to: body?.to ?? 'user@example.com', subject: 'Welcome!' },
  })
  return { jobId }
})
