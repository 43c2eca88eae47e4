/** The read half of the monitor over HTTP and server-sent events, served for real. */
import { describe, expect, it } from 'vitest'
import { feedOf } from '../../src/runtime/monitor/live-feed'
import type { LiveFeed } from '../../src/runtime/monitor/live-feed'
import { createReadHandler } from '../../src/runtime/server/monitor/read-handler'
import type { MonitorMessage } from '../../src/runtime/types/monitor'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useServedHandlers } from '../helpers/serve-h3'
import { readSse } from '../helpers/sse'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'

const PREFIX = '/_nvent/api'

describe('monitor over HTTP: the read half', () => {
  const start = useMonitorApp()
  const serveHandler = useServedHandlers()

  /** Serves the app's monitor; `feed` wraps the live feed, e.g. to count subscribers. */
  async function serve(app: MonitorApp, feed: (inner: LiveFeed) => LiveFeed = inner => inner) {
    const server = await serveHandler(createReadHandler({ prefix: PREFIX, reads: () => app.nvent.monitor, feed: () => feed(feedOf(app.nvent.monitor)) }))
    const get = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${server.origin}${PREFIX}/${path}`, init)
      return { status: response.status, body: await response.json() as any, allow: response.headers.get('allow') }
    }
    return { origin: server.origin, get }
  }

  it('answers every read as JSON, with its arguments from the query string', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('order', { sku: 'h' })
    await waitForRunEnd(app.nvent, runId)
    const { get } = await serve(app)
    expect((await get('overview')).body.flows).toEqual({ order: { completed: 1 } })
    expect((await get('flows')).body.map((flow: { name: string }) => flow.name)).toEqual(['order', 'approval', 'parent', 'pause'])
    expect((await get('runs?flow=order&status=completed&limit=1')).body).toMatchObject({ total: 1, items: [{ id: runId }] })
    expect((await get(`run?runId=${runId}`)).body.steps.map((step: { name: string }) => step.name)).toEqual(['receive', 'ship'])
    expect((await get(`events?runId=${runId}&limit=1`)).body).toEqual([expect.objectContaining({ type: 'flow.start' })])
    expect((await get(`logs?runId=${runId}&level=warn`)).body).toHaveLength(1)
    expect((await get(`state?runId=${runId}`)).body).toEqual({})
    expect((await get('queues')).body.map((queue: { name: string }) => queue.name)).toContain('mail')
    expect((await get('jobs?queue=order&state=completed')).body.total).toBe(2)
    expect((await get('triggers')).body[0]).toMatchObject({ name: 'nightly' })
    expect((await get('triggerHistory?name=nightly')).body).toEqual({ items: [] })
    expect((await get('awaits')).body).toEqual([])
  })

  it('answers bad input with a 4xx and its reason, and refuses every method but GET', async () => {
    const app = await start()
    const { get } = await serve(app)
    expect(await get('runs?limit=ten')).toMatchObject({ status: 400, body: { error: expect.stringContaining('"limit"') } })
    expect(await get('runs?status=done')).toMatchObject({ status: 400, body: { error: expect.stringContaining('status') } })
    expect(await get('run')).toMatchObject({ status: 400, body: { error: expect.stringContaining('runId') } })
    expect(await get('run?runId=nope')).toMatchObject({ status: 404 })
    expect(await get('jobs?queue=nope')).toMatchObject({ status: 404 })
    expect(await get('startFlow')).toMatchObject({ status: 404, body: { error: expect.stringContaining('no read "startFlow"') } })
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(await get('startFlow', { method, body: '{}' })).toMatchObject({ status: 405, allow: 'GET' })
    expect((await app.nvent.monitor.runs()).total).toBe(0)
  })

  it('streams live messages with a retry hint, catches up from Last-Event-ID, and unsubscribes on close', async () => {
    const app = await start()
    let subscribed = 0
    const { origin } = await serve(app, inner => ({
      async subscribe(handler, lastEventId) {
        const subscription = await inner.subscribe(handler, lastEventId)
        subscribed++
        return { ...subscription, stop: async () => { subscribed--; await subscription.stop() } }
      },
    }))
    const live = await readSse(`${origin}${PREFIX}/live`)
    await waitFor(() => live.events.some(event => event.event === 'ready'), 'the stream to open')
    expect(live.retry).toBeGreaterThan(0)
    const { runId } = await app.nvent.flow.start('order', { sku: 's' })
    await waitFor(() => live.events.some(event => event.event === 'run.event' && JSON.parse(event.data).event.type === 'flow.completed'), 'the run live')
    const runEvents = live.events.filter(event => event.event === 'run.event').map(event => JSON.parse(event.data) as MonitorMessage)
    expect(runEvents.every(message => message.type === 'run.event' && message.event.runId === runId)).toBe(true)

    // A client that saw only the first message gets the rest again, in order, with the same ids.
    const ids = live.events.filter(event => event.id).map(event => event.id!)
    const again = await readSse(`${origin}${PREFIX}/live`, { 'last-event-id': ids[0]! })
    await waitFor(() => again.events.filter(event => event.id).length >= ids.length - 1, 'the catch-up')
    expect(again.events.filter(event => event.id).map(event => event.id).slice(0, ids.length - 1)).toEqual(ids.slice(1))
    // An id from another server start cannot be caught up from: the client is told to reload.
    const stale = await readSse(`${origin}${PREFIX}/live`, { 'last-event-id': 'older.12' })
    await waitFor(() => stale.events.some(event => event.event === 'reset'), 'the reset')

    expect(subscribed).toBe(3)
    for (const reader of [live, again, stale]) reader.close()
    await waitFor(() => subscribed === 0, 'every subscription to end')
  })
})
