// An event await before the step: it runs when `payment.confirmed` arrives with this run's input.orderId.
export const config = defineFunctionConfig({
  queue: { name: 'payments' },
  flow: {
    name: 'payment-flow',
    role: 'entry',
    step: 'await-payment',
    awaitBefore: { type: 'event', event: 'payment.confirmed', match: 'orderId', timeout: 600000, timeoutAction: 'fail' },
  },
})

export default defineFunction(async (input: { orderId: string }, ctx) => {
  ctx.logger.log('info', 'Payment confirmed', { orderId: input.orderId })
  return { paid: ctx.trigger }
})
