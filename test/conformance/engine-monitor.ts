/**
 * The monitor on every backend, through both transports: reads over HTTP and server-sent events, reads and
 * actions over the DevTools bridge; and live messages from runs on another instance.
 */
import { describe, expect, it } from 'vitest'
import { createBridge } from '../../src/module/devtools-bridge'
import { feedOf } from '../../src/runtime/monitor/live-feed'
import { createBridgeHandler } from '../../src/runtime/server/monitor/bridge-handler'
import { createReadHandler } from '../../src/runtime/server/monitor/read-handler'
import { BRIDGE_ROUTE } from '../../src/runtime/types/devtools'
import type { MonitorMessage } from '../../src/runtime/types/monitor'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useServedHandlers } from '../helpers/serve-h3'
import { readSse } from '../helpers/sse'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'
import type { Backend } from './backend'

const SECRET = 'conformance-bridge-secret-0123456789abcdef'

export function describeEngineMonitor(backend: Backend) {
  describe(`${backend.name} engine: monitor`, () => {
    const start = useMonitorApp(backend)
    const serveHandler = useServedHandlers()

    async function transports(app: MonitorApp) {
      const reads = await serveHandler(createReadHandler({ prefix: '/api', reads: () => app.nvent.monitor, feed: () => feedOf(app.nvent.monitor) }))
      const bridged = await serveHandler(createBridgeHandler({ secret: () => SECRET, monitor: () => app.nvent.monitor }))
      const get = async (path: string) => (await fetch(`${reads.origin}/api/${path}`)).json() as Promise<any>
      return { get, live: `${reads.origin}/api/live`, bridge: createBridge({ url: () => `${bridged.origin}${BRIDGE_ROUTE}`, secret: SECRET }) }
    }

    it('reads over HTTP and acts over the bridge: a failed run, its rerun from the failed step, an approved await', async () => {
      const app = await start()
      const { get, live, bridge } = await transports(app)
      const stream = await readSse(live)
      app.failShip.on = true
      const { runId } = await bridge.call('startFlow', ['order', { sku: 'm' }]) as { runId: string }
      await waitForRunEnd(app.nvent, runId)
      const failed = await get(`run?runId=${runId}`)
      expect(failed.steps[1]).toMatchObject({ name: 'ship', status: 'failed', errors: [{ attempt: 1, message: 'carrier down', stack: expect.stringContaining('carrier down') }] })

      app.failShip.on = false
      const { runId: rerunId } = await bridge.call('rerunFromFailedStep', [runId]) as { runId: string }
      await waitForRunEnd(app.nvent, rerunId)
      expect(await get(`run?runId=${rerunId}`)).toMatchObject({ run: { status: 'completed', rerunOf: runId }, steps: [{ name: 'receive', reused: true }, { name: 'ship', output: { shipped: 'm' } }] })
      expect(app.received.count).toBe(1)

      const { runId: asking } = await bridge.call('startFlow', ['approval', {}]) as { runId: string }
      await waitFor(async () => (await get('awaits?flow=approval')).length === 1, 'the await over HTTP')
      expect(JSON.stringify(await get('awaits'))).not.toContain('/await/')
      expect(await bridge.call('resolveAwait', [asking, 'approve', { ok: 1 }])).toBe(true)
      await waitForRunEnd(app.nvent, asking)

      const overview = await get('overview')
      expect(overview.flows).toEqual({ order: { completed: 1, failed: 1 }, approval: { completed: 1 } })
      expect(await get('runs?status=completed&limit=1')).toMatchObject({ total: 2, items: [{ id: asking }], cursor: expect.any(String) })
      await waitFor(() => stream.events.some(event => event.event === 'run.event' && JSON.parse(event.data).event.runId === asking && JSON.parse(event.data).event.type === 'flow.completed'), 'the last run live over SSE')
      stream.close()
    })

    it.skipIf(!backend.attach)('delivers live messages of runs another instance executes', async () => {
      const watcher = await start({ workers: false })
      const worker = await start({ adapters: await backend.attach!(watcher.adapters) })
      const messages: MonitorMessage[] = []
      const stop = await watcher.nvent.monitor.subscribe(message => messages.push(message))
      const { runId } = await worker.nvent.flow.start('order', { sku: 'i' })
      await waitFor(() => messages.some(m => m.type === 'run.event' && m.event.runId === runId && m.event.type === 'flow.completed'), 'the run live on the other instance')
      await waitFor(() => messages.some(m => m.type === 'queue.counts' && m.queue === 'order' && m.counts.completed === 2), 'its queue counts')
      await worker.nvent.triggers.disable('nightly')
      await waitFor(() => messages.some(m => m.type === 'trigger.changed'), 'the trigger change')
      await stop()
    })
  })
}
