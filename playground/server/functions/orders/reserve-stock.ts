export const config = defineFunctionConfig({
  queue: { name: 'orders' },
  flow: { name: 'order', role: 'step', step: 'reserve-stock', subscribes: ['order.received'], emits: ['stock.reserved'] },
})

export default defineFunction(async (input: { 'order.received': { orderId: string } }, ctx) => {
  await new Promise(resolve => setTimeout(resolve, 150))
  await ctx.flow.emit('stock.reserved', { orderId: input['order.received'].orderId, warehouse: 'north' })
})
