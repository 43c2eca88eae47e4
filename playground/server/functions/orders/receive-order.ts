// Entry of the order flow: fans out to payment and stock, which fan in to shipping.
export const config = defineFunctionConfig({
  queue: { name: 'orders' },
  flow: { name: 'order', role: 'entry', step: 'receive-order', emits: ['order.received'] },
})

export default defineFunction(async (input: { orderId?: string, total?: number }, ctx) => {
  const order = { orderId: input.orderId ?? `ord-${Date.now()}`, total: input.total ?? 42 }
  await ctx.state.set('order', order)
  ctx.logger.log('info', 'Order received', order)
  await ctx.flow.emit('order.received', order)
  return order
})
