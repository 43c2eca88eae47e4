// Retries: the first two attempts fail, the third succeeds (see step.retry events in the run).
export const config = defineFunctionConfig({
  queue: { name: 'imports' },
  retry: { attempts: 3, backoff: { type: 'fixed', delay: 300 } },
  flow: { name: 'import', role: 'entry', step: 'fetch-feed', emits: ['feed.fetched'] },
})

export default defineFunction(async (input: { url?: string }, ctx) => {
  if (ctx.attempt < 3)
    throw new Error(`feed server busy (attempt ${ctx.attempt})`)
  await ctx.flow.emit('feed.fetched', { items: 3, url: input.url ?? 'https://example.com/feed' })
})
