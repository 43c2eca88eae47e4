/**
 * The dashboard's transport against the real read handler over real HTTP: every read answers what the
 * monitor answers in process, a refusal keeps the server's reason, and there is nothing to act with.
 * Live and the session need a browser (EventSource, cookies): the e2e tests cover them.
 */
import { describe, expect, it } from 'vitest'
import { httpTransport } from '../../devtools-client/src/transport/http'
import { feedOf } from '../../src/runtime/monitor/live-feed'
import { createReadHandler } from '../../src/runtime/server/monitor/read-handler'
import type { MonitorReads } from '../../src/runtime/types/monitor'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useServedHandlers } from '../helpers/serve-h3'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'

const PREFIX = '/_nvent/api'

describe('devtools client: the dashboard\'s HTTP transport', () => {
  const start = useMonitorApp()
  const serve = useServedHandlers()

  async function open(app: MonitorApp) {
    const server = await serve(createReadHandler({ prefix: PREFIX, reads: () => app.nvent.monitor, feed: () => feedOf(app.nvent.monitor) }))
    // A full URL: in node there is no page for `/_nvent/api` to be relative to.
    const transport = httpTransport(`${server.origin}${PREFIX}`)
    /** Expects a read over HTTP to answer what the monitor answers in process, as JSON carries it; resolves it. */
    async function same<Read extends keyof MonitorReads>(read: Read, ...args: Parameters<MonitorReads[Read]>): Promise<unknown> {
      const call = (reads: MonitorReads) => (reads[read] as (...args: unknown[]) => Promise<unknown>).apply(reads, args)
      const answer = await call(transport.reads)
      expect(answer, `${read}(${args.map(arg => JSON.stringify(arg)).join(', ')})`).toEqual(JSON.parse(JSON.stringify(await call(app.nvent.monitor))))
      return answer
    }
    return { transport, same }
  }

  it('answers every read as the monitor does, with its arguments in the query string', async () => {
    const app = await start()
    const { monitor } = app.nvent
    const { runId } = await app.nvent.flow.start('order', { sku: 'h' })
    await waitForRunEnd(app.nvent, runId)
    for (const by of ['hand', 'foot'])
      await waitForRunEnd(app.nvent, (await monitor.fireTrigger('nightly', { by })).runIds[0]!)
    await app.nvent.flow.start('approval', {})
    await waitFor(async () => (await monitor.awaits('approval')).length > 0, 'the webhook await')
    const { transport, same } = await open(app)

    // `minutes` moves on at each minute: compared apart, lest the two reads straddle one.
    const { minutes, ...overview } = await transport.reads.overview()
    const { minutes: directMinutes, ...directOverview } = await monitor.overview()
    expect(overview).toEqual(directOverview)
    expect(minutes).toHaveLength(directMinutes.length)

    await same('flows')
    await same('runs')
    expect(await same('runs', { flow: 'order', status: 'completed', limit: 2 })).toMatchObject({ items: [{}, {}] })
    // An undefined option is left out, not sent as the text "undefined".
    await same('runs', { flow: undefined, idPrefix: runId.slice(0, 8) })
    await same('run', runId)
    const events = await monitor.events(runId)
    await same('events', runId)
    expect(await same('events', runId, { after: events[1]!.id, limit: 2 })).toHaveLength(2)
    await same('logs', runId)
    expect(await same('logs', runId, { level: 'warn' })).toHaveLength(1)
    await same('state', runId)
    await same('queues')
    await same('jobs', 'order')
    expect(await same('jobs', 'order', { state: 'completed', limit: 1, offset: 1 })).toMatchObject({ items: [{}] })
    await same('triggers')
    expect(await same('triggerHistory', 'nightly', { limit: 1 })).toMatchObject({ items: [{}] })
    expect(await same('awaits')).toHaveLength(1)
    expect(await same('awaits', 'approval')).toHaveLength(1)
    expect(await same('awaits', 'order')).toEqual([])
  })

  it('rejects a bad argument with the server\'s reason and status, and has nothing to act with', async () => {
    const app = await start()
    const { transport } = await open(app)
    const bad = { status: 'done' as never }
    const reason = await app.nvent.monitor.runs(bad).then(() => 'no refusal', (error: Error) => error.message)
    expect(reason).toContain('status')
    await expect(transport.reads.runs(bad)).rejects.toMatchObject({ message: reason, status: 400 })
    await expect(transport.reads.run('nope')).rejects.toMatchObject({ message: expect.stringContaining('"nope"'), status: 404 })
    expect(transport.actions).toBeUndefined()
    expect(transport.openInEditor).toBeUndefined()
  })
})
