export const config = defineFunctionConfig({
  queue: { name: 'maintenance' },
  flow: { name: 'reindex', role: 'step', step: 'notify-admins', subscribes: ['index.rebuilt'] },
})

export default defineFunction(async (_input, ctx) => {
  ctx.logger.log('info', 'Admins notified')
})
