import { describe, expect, it } from 'vitest'
import { createRunStore } from '../../devtools-client/src/stores/run'
import { createEventTail } from '../../devtools-client/src/stores/run-tail'
import { buildTimeline, focusStep, isAwaitOpen } from '../../devtools-client/src/stores/run-timeline'
import type { RunEvent } from '../../src/runtime/types/run'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { sleep } from '../helpers/wait'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'
import { directTransport } from './direct-transport'

/** A run store on the app's monitor, following its live messages until the test ends. */
function openRun(app: MonitorApp, runId: string) {
  const transport = directTransport(app.nvent.monitor)
  const store = createRunStore(transport, runId)
  const stop = transport.live({ onMessage: store.apply, onReset: () => void store.load() })
  return { store, stop }
}

/** Each event once, in the log's order. */
function expectInOrder(events: RunEvent[]) {
  const ids = events.map(event => event.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual(ids)
}

describe('devtools client: the run store', () => {
  const start = useMonitorApp()

  it('reads the events once from the start, then appends the live ones and re-reads the detail', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('approval', {})
    await waitFor(async () => (await app.nvent.monitor.run(runId))!.steps.some(step => step.name === 'approve' && isAwaitOpen(step)), 'the webhook await')
    const { store, stop } = openRun(app, runId)
    // A second load while the first reads (a reset of the live feed) must not append the log twice.
    await Promise.all([store.load(), store.load()])
    expect(store.events.value.map(event => event.type)).toEqual(['flow.start', 'step.started', 'step.completed', 'emit', 'await.registered'])
    const approve = store.detail.data.value!.steps.find(step => step.name === 'approve')!
    expect(focusStep(store.detail.data.value!.steps)?.name).toBe('approve')
    const waiting = buildTimeline(store.detail.data.value!.run, store.detail.data.value!.steps, store.events.value, Date.now())
    expect(waiting.rows.find(row => row.step === approve)!.spans.map(span => span.kind)).toEqual(['await'])

    expect(await app.nvent.monitor.resolveAwait(runId, 'approve', { ok: true })).toBe(true)
    await waitFor(() => store.detail.data.value?.run.status === 'completed', 'the detail to show the run completed')
    await waitFor(() => store.events.value.at(-1)?.type === 'flow.completed', 'the live events')
    expectInOrder(store.events.value)
    expect(store.events.value).toEqual(await app.nvent.monitor.events(runId))
    const done = store.detail.data.value!
    expect(done.steps.find(step => step.name === 'approve')).toMatchObject({ status: 'completed', output: { ok: true }, await: { outcome: 'resolved', payload: { ok: true } } })
    const timeline = buildTimeline(done.run, done.steps, store.events.value, Date.now())
    expect(timeline.rows.find(row => row.step.name === 'approve')!.spans.map(span => span.kind)).toEqual(['await', 'queued', 'run'])
    expect(timeline.end).toBe(done.run.finishedAt)
    stop()
  })

  it('shows a failed run\'s step error with its stack, logs from a level up, and the state', async () => {
    const app = await start({ store: { state: { cleanup: 'never' } } })
    app.failShip.on = true
    const { runId } = await app.nvent.flow.start('order', { sku: 'x' })
    // Open while it runs: the first read and the live feed race for the same events and logs.
    const { store, stop } = openRun(app, runId)
    await store.load()
    await waitForRunEnd(app.nvent, runId)
    await waitFor(() => store.detail.data.value?.run.status === 'failed', 'the failed run')
    await waitFor(() => store.events.value.at(-1)?.type === 'flow.failed', 'every event')
    expectInOrder(store.events.value)
    await waitFor(() => store.logs.value.length === 2, 'both log lines')
    // Past the live throttle: a late read appends nothing twice.
    await sleep(300)
    expect(store.logs.value.map(line => (line.data as { message: string }).message)).toEqual(['looking', 'low stock'])

    const detail = store.detail.data.value!
    const ship = detail.steps.find(step => step.name === 'ship')!
    expect(ship).toMatchObject({ status: 'failed', error: 'carrier down', errors: [{ attempt: 1, message: 'carrier down' }] })
    expect(ship.errors![0]!.stack).toMatch(/^Error: carrier down\n\s+at /)
    expect(focusStep(detail.steps)).toBe(ship)
    const row = buildTimeline(detail.run, detail.steps, store.events.value, Date.now()).rows.find(candidate => candidate.step === ship)!
    expect(row.retries).toEqual([{ at: ship.errors![0]!.at, attempt: 1, message: 'carrier down' }])

    await store.setLogLevel('warn')
    expect(store.logs.value.map(line => line.data)).toEqual([{ level: 'warn', message: 'low stock', meta: { sku: 'x' } }])
    await waitFor(() => store.state.data.value?.sku === 'x', 'the run state')
    expect(store.state.data.value).toEqual({ sku: 'x' })
    stop()
  })

  it('reads a log in pages, each event once however many reads overlap, and from the start after a reset', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('order', { sku: 'p' })
    await waitForRunEnd(app.nvent, runId)
    const all = await app.nvent.monitor.events(runId)
    const tail = createEventTail((after, limit) => app.nvent.monitor.events(runId, { after, limit }), 3)
    await Promise.all([tail.more(), tail.more(), tail.more()])
    expect(tail.items.value).toEqual(all)
    await Promise.all([tail.more(), tail.reset()])
    expect(tail.items.value).toEqual(all)
  })

  it('reads a missing run as null', async () => {
    const app = await start()
    const { store, stop } = openRun(app, 'no-such-run')
    await store.load()
    expect([store.detail.data.value, store.detail.error.value, store.events.value]).toEqual([null, undefined, []])
    stop()
  })
})
