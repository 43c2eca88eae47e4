/** The app the monitor's tests watch: a two-step flow that can be made to fail, awaits, a trigger, a plain job. */
import type { TestApp } from '../helpers/engine-app'

/** Switches the tests flip, and what they count. */
export interface MonitorAppControls {
  /** Makes `ship` throw until set back to false. */
  failShip: { on: boolean }
  /** Makes the plain function `mail` throw until set back to false. */
  failMail: { on: boolean }
  /** Times `receive` ran. */
  received: { count: number }
}

/** The app's flows and functions, wired to fresh controls. */
export function monitorTestApp(): { app: TestApp, controls: MonitorAppControls } {
  const failShip = { on: false }
  const failMail = { on: false }
  const received = { count: 0 }
  const app: TestApp = {
    flows: {
      order: [
        { step: 'receive', entry: true, emits: ['received'], triggers: { define: { name: 'nightly', type: 'time' }, config: { cron: '0 3 * * *' } }, run: async (input, ctx) => {
          received.count++
          ctx.logger.log('debug', 'looking')
          ctx.logger.log('warn', 'low stock', { sku: input.sku })
          await ctx.state.set('sku', input.sku)
          await ctx.flow.emit('received', { sku: input.sku })
        } },
        { step: 'ship', subscribes: ['received'], run: async (input) => {
          if (failShip.on)
            throw new Error('carrier down')
          return { shipped: input.received.sku }
        } },
      ],
      approval: [
        { step: 'ask', entry: true, emits: ['asked'], run: async (_, ctx) => { await ctx.flow.emit('asked', 1) } },
        { step: 'approve', subscribes: ['asked'], awaitBefore: { type: 'webhook' }, run: async (_, ctx) => ctx.trigger },
      ],
      parent: [
        { step: 'spawn', entry: true, run: async (_, ctx) => ctx.flow.startFlow('pause', { from: ctx.runId }) },
      ],
      pause: [
        { step: 'wait', entry: true, awaitBefore: { type: 'time', delay: 3_600_000 }, run: async () => 'woke' },
      ],
    },
    functions: { mail: { run: async () => {
      if (failMail.on)
        throw new Error('smtp down')
      return 'sent'
    } } },
  }
  return { app, controls: { failShip, failMail, received } }
}
