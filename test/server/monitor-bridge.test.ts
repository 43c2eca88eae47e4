/** The DevTools bridge, both ends over real HTTP: the main process's client and the dev server's route. */
import { describe, expect, it } from 'vitest'
import { createBridge } from '../../src/module/devtools-bridge'
import { createRpcFunctions } from '../../src/module/devtools-rpc'
import { createBridgeHandler } from '../../src/runtime/server/monitor/bridge-handler'
import { BRIDGE_HEADER, BRIDGE_ROUTE } from '../../src/runtime/types/devtools'
import type { MonitorMessage } from '../../src/runtime/types/monitor'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useServedHandlers } from '../helpers/serve-h3'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'

const SECRET = 'a-secret-made-at-this-dev-start-0123456789'

describe('the DevTools bridge', () => {
  const start = useMonitorApp()
  const serveHandler = useServedHandlers()

  async function serve(app: MonitorApp, secret = SECRET) {
    const server = await serveHandler(createBridgeHandler({ secret: () => secret, monitor: () => app.nvent.monitor }))
    const url = `${server.origin}${BRIDGE_ROUTE}`
    return { url, bridge: createBridge({ url: () => url, secret: SECRET }) }
  }

  it('runs reads and actions in the server\'s engine, with refusals carrying status and reason', async () => {
    const app = await start()
    const { bridge } = await serve(app)
    const { runId } = await bridge.call('startFlow', ['order', { sku: 'b' }]) as { runId: string }
    await waitForRunEnd(app.nvent, runId)
    expect(await bridge.call('run', [runId])).toMatchObject({ run: { id: runId, status: 'completed' } })
    expect(await bridge.call('run', ['nope'])).toBeNull()
    expect(await bridge.call('cancelRun', [runId])).toBe(false)
    await bridge.call('pauseQueue', ['mail'])
    expect(await app.nvent.queue.isPaused('mail')).toBe(true)
    await expect(bridge.call('runs', [{ status: 'done' }])).rejects.toMatchObject({ status: 400, message: expect.stringContaining('status') })
    await expect(bridge.call('startFlow', ['nope'])).rejects.toMatchObject({ status: 404 })
    await expect(bridge.call('subscribe' as never, [])).rejects.toMatchObject({ status: 400, message: expect.stringContaining('fn one of') })
  })

  it('follows the live feed', async () => {
    const app = await start()
    const { bridge } = await serve(app)
    const messages: MonitorMessage[] = []
    const following = bridge.follow({ onMessage: message => messages.push(message), onReset: () => {} })
    try {
      // The feed is followed from its next message on: start runs until one is seen.
      await waitFor(async () => {
        await app.nvent.flow.start('order', { sku: 'f' })
        return messages.some(message => message.type === 'run.event' && message.event.type === 'flow.completed')
      }, 'a run live through the bridge')
    }
    finally {
      following.stop()
    }
  })

  it('refuses every request without the secret of this dev start, and everything when none was made', async () => {
    const app = await start()
    const { url } = await serve(app)
    const cases: Array<[string, RequestInit]> = [
      ['/call', { method: 'POST', body: JSON.stringify({ fn: 'startFlow', args: ['order', {}] }), headers: { 'content-type': 'application/json' } }],
      ['/call', { method: 'POST', body: JSON.stringify({ fn: 'startFlow', args: ['order', {}] }), headers: { 'content-type': 'application/json', [BRIDGE_HEADER]: `${SECRET}x` } }],
      ['/live', {}],
      ['/live', { headers: { [BRIDGE_HEADER]: SECRET.slice(0, -1) } }],
    ]
    for (const [path, init] of cases)
      expect((await fetch(`${url}${path}`, init)).status).toBe(403)
    const { url: unset } = await serve(app, '')
    expect((await fetch(`${unset}/call`, { method: 'POST', headers: { [BRIDGE_HEADER]: '' } })).status).toBe(403)
    expect((await app.nvent.monitor.runs()).total).toBe(0)
  })

  it('the tab\'s RPC checks DevTools\' dev auth token before each call, and pushes live messages once a tab has called', async () => {
    const app = await start()
    const { bridge } = await serve(app)
    const pushed: MonitorMessage[] = []
    // Where DevTools checks against the token it keeps in the home directory, this test keeps its own.
    const rpc = createRpcFunctions(bridge, {
      ensureDevAuthToken: async (token) => {
        if (token !== 'dev-token')
          throw new Error('[Nuxt DevTools] Invalid dev auth token.')
      },
      push: { onMessage: message => pushed.push(message), onReset: () => {} },
    })
    try {
      await expect(rpc.call('wrong', 'startFlow', ['order', {}])).rejects.toThrow('Invalid dev auth token')
      expect((await app.nvent.monitor.runs()).total).toBe(0)
      const { runId } = await rpc.call('dev-token', 'startFlow', ['order', { sku: 't' }]) as { runId: string }
      await waitForRunEnd(app.nvent, runId)
      await waitFor(async () => {
        await rpc.call('dev-token', 'startFlow', ['order', { sku: 'u' }])
        return pushed.some(message => message.type === 'run.event' && message.event.type === 'flow.completed')
      }, 'live messages pushed to the tab')
    }
    finally {
      rpc.stop()
    }
  })
})
