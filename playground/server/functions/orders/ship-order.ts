// Fan-in: runs once both payment and stock are done, reads the state the entry stored, and starts the
// receipt flow as a nested run.
export const config = defineFunctionConfig({
  queue: { name: 'orders' },
  flow: { name: 'order', role: 'step', step: 'ship-order', subscribes: ['payment.charged', 'stock.reserved'] },
})

export default defineFunction(async (input: Record<string, any>, ctx) => {
  const order = await ctx.state.get<{ orderId: string, total: number }>('order')
  const receipt = await ctx.flow.startFlow('receipt', { orderId: order?.orderId, amount: input['payment.charged'].amount })
  ctx.logger.log('info', 'Order shipped', { warehouse: input['stock.reserved'].warehouse, receiptRun: receipt.runId })
  return { shipped: true, orderId: order?.orderId }
})
