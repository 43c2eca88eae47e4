export const config = defineFunctionConfig({
  queue: { name: 'maintenance' },
  retry: { attempts: 2, backoff: { type: 'fixed', delay: 200 } },
  flow: { name: 'reindex', role: 'step', step: 'rebuild-index', subscribes: ['cache.purged'], emits: ['index.rebuilt'] },
})

// Fails while the search cluster is read-only, which it is until `POST /api/maintenance/cluster`.
export default defineFunction(async (_input, ctx) => {
  if (!await useStorage().getItem('maintenance:cluster-writable'))
    throw new Error('search cluster is read-only')
  await ctx.flow.emit('index.rebuilt', { rebuilt: true })
  return { rebuilt: true }
})
