export const config = defineFunctionConfig({
  queue: { name: 'imports' },
  flow: { name: 'import', role: 'step', step: 'store-items', subscribes: ['feed.fetched'] },
})

export default defineFunction(async (input: { 'feed.fetched': { items: number } }, ctx) => {
  ctx.logger.log('info', 'Items stored', input['feed.fetched'])
  return { stored: input['feed.fetched'].items }
})
