export const config = defineFunctionConfig({
  queue: { name: 'orders' },
  flow: { name: 'order', role: 'step', step: 'charge-payment', subscribes: ['order.received'], emits: ['payment.charged'] },
})

export default defineFunction(async (input: { 'order.received': { orderId: string, total: number } }, ctx) => {
  const order = input['order.received']
  await new Promise(resolve => setTimeout(resolve, 300))
  ctx.logger.log('info', 'Payment charged', { amount: order.total })
  await ctx.flow.emit('payment.charged', { orderId: order.orderId, amount: order.total })
})
