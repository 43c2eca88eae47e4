/** The app the monitor's tests watch: a two-step flow that can be made to fail, awaits, a trigger, a plain job. */
import type { Backend } from '../conformance/backend'
import type { RunningApp } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import { memoryBackend } from '../helpers/memory-backend'

export interface MonitorApp extends RunningApp {
  /** Makes `ship` throw until set back to false. */
  failShip: { on: boolean }
  /** Makes the plain function `mail` throw until set back to false. */
  failMail: { on: boolean }
  /** Times `receive` ran. */
  received: { count: number }
}

/** Starts the app on `backend` (memory by default) for each test that calls, closing it after the test. */
export function useMonitorApp(backend: Backend = memoryBackend) {
  const apps = useApps(backend)
  return async (options: Parameters<typeof apps.start>[1] = {}): Promise<MonitorApp> => {
    const failShip = { on: false }
    const failMail = { on: false }
    const received = { count: 0 }
    const app = await apps.start({
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
    }, options)
    return Object.assign(app, { failShip, failMail, received })
  }
}
