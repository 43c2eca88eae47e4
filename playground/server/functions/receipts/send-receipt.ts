// A one-step flow that the order flow starts as a child run.
export const config = defineFunctionConfig({
  queue: { name: 'receipts' },
  flow: { name: 'receipt', role: 'entry', step: 'send-receipt' },
})

export default defineFunction(async (input: { orderId: string, amount: number }, ctx) => {
  ctx.logger.log('info', 'Receipt sent', input)
  return { receipt: `R-${input.orderId}` }
})
