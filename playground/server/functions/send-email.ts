// A plain background function: enqueue it with useNvent().queue.enqueue('emails', { name: 'send-email', data }).
export const config = defineFunctionConfig({
  queue: { name: 'emails' },
  retry: { attempts: 3, backoff: { type: 'exponential', delay: 500 } },
})

export default defineFunction(async (input: { to: string, subject: string }, ctx) => {
  ctx.logger.log('info', 'Sending email', { to: input.to, subject: input.subject })
  await new Promise(resolve => setTimeout(resolve, 200))
  return { sent: true, to: input.to, at: new Date().toISOString() }
})
