export const config = defineFunctionConfig({
  queue: { name: 'maintenance' },
  retry: { attempts: 2, backoff: { type: 'fixed', delay: 200 } },
  flow: { name: 'reindex', role: 'step', step: 'rebuild-index', subscribes: ['cache.purged'], emits: ['index.rebuilt'] },
})

export default defineFunction(async () => {
  throw new Error('search cluster is read-only')
})
