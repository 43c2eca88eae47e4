// The reindex flow fails for good: its second step always throws, so its third never starts.
export const config = defineFunctionConfig({
  queue: { name: 'maintenance' },
  flow: { name: 'reindex', role: 'entry', step: 'purge-cache', emits: ['cache.purged'] },
})

export default defineFunction(async (_input, ctx) => {
  await ctx.flow.emit('cache.purged', { keys: 120 })
})
