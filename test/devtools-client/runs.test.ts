import { describe, expect, it } from 'vitest'
import { createRunsStore } from '../../devtools-client/src/stores/runs'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { sleep } from '../helpers/wait'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'
import { directTransport } from './direct-transport'

/** A runs store on the app's monitor, following its live messages until the test ends. */
function openRuns(app: MonitorApp, pageSize?: number) {
  const transport = directTransport(app.nvent.monitor)
  const store = createRunsStore(transport, pageSize)
  const stop = transport.live({ onMessage: store.apply, onReset: () => void store.refresh() })
  return { store, stop }
}

const ids = (store: ReturnType<typeof createRunsStore>) => store.data.value?.items.map(run => run.id) ?? []

/** Starts `count` approval runs one after another (they stay running, paused on their webhook await). */
async function startApprovals(app: MonitorApp, count: number): Promise<string[]> {
  const started: string[] = []
  for (let i = 0; i < count; i++) {
    started.push((await app.nvent.flow.start('approval', { i })).runId)
    // Distinct creation times keep the newest-first order of the assertions exact.
    await sleep(2)
  }
  return started
}

describe('devtools client: the runs store', () => {
  const start = useMonitorApp()

  it('puts a new run at the top of the first page live, and follows its status', async () => {
    const app = await start()
    const { store, stop } = openRuns(app)
    const [older] = await startApprovals(app, 1)
    await store.search()
    expect(ids(store)).toEqual([older])

    app.failShip.on = true
    const { runId } = await app.nvent.flow.start('order', { sku: 'live' })
    await waitFor(() => ids(store)[0] === runId, 'the new run at the top')
    await waitFor(() => store.data.value!.items[0]!.status === 'failed', 'the listed run to turn failed')
    expect(store.data.value!.items[0]!.steps).toEqual({ completed: 1, failed: 1 })
    expect(store.range()).toEqual({ from: 1, to: 2, total: 2 })
    stop()
  })

  it('counts new runs while paused without changing the rows, and shows them on resuming', async () => {
    const app = await start()
    const { store, stop } = openRuns(app)
    await startApprovals(app, 1)
    await store.search()
    const shown = ids(store)
    store.setPaused(true)
    const started = await startApprovals(app, 2)
    await waitFor(() => store.missed.value === 2, 'two runs counted')
    await sleep(400)
    expect(ids(store)).toEqual(shown)

    await store.setPaused(false)
    expect(store.missed.value).toBe(0)
    expect(ids(store)).toEqual([...started.reverse(), ...shown])
    stop()
  })

  it('pages newest first with the range and total, and counts new runs instead of shifting a later page', async () => {
    const app = await start()
    const { store, stop } = openRuns(app, 2)
    const started = (await startApprovals(app, 5)).reverse()
    await store.search()
    expect(ids(store)).toEqual(started.slice(0, 2))
    expect([store.range(), store.hasPrevious(), store.hasNext()]).toEqual([{ from: 1, to: 2, total: 5 }, false, true])
    await store.next()
    expect(ids(store)).toEqual(started.slice(2, 4))
    expect(store.range()).toEqual({ from: 3, to: 4, total: 5 })
    await store.next()
    expect([ids(store), store.range(), store.hasNext()]).toEqual([started.slice(4), { from: 5, to: 5, total: 5 }, false])

    await store.previous()
    const [newest] = await startApprovals(app, 1)
    await waitFor(() => store.missed.value === 1, 'the new run counted on page 2')
    expect(ids(store)).toEqual(started.slice(2, 4))
    await store.previous()
    expect(ids(store)).toEqual([newest, started[0]])
    expect([store.missed.value, store.range().total]).toEqual([0, 6])
    stop()
  })

  it('filters by flow, status, id prefix and time window, and lets in live only the runs that match', async () => {
    const app = await start()
    const { store, stop } = openRuns(app)
    const [approval] = await startApprovals(app, 1)
    const { runId: order } = await app.nvent.flow.start('order', { sku: 'f' })
    await waitForRunEnd(app.nvent, order)

    store.filters.flow = 'order'
    await store.search()
    expect(ids(store)).toEqual([order])
    Object.assign(store.filters, { flow: undefined, status: 'running' })
    await store.search()
    expect(ids(store)).toEqual([approval])
    Object.assign(store.filters, { status: undefined, idPrefix: order.slice(0, 6) })
    await store.search()
    expect(ids(store)).toEqual([order])
    // An emptied search box filters nothing.
    store.filters.idPrefix = ''
    await store.search()
    expect(store.range().total).toBe(2)

    await sleep(30)
    store.within.value = 20
    await store.search()
    expect(store.range().total).toBe(0)
    store.within.value = undefined

    // Live with a status filter: a run enters the list when it reaches that status, not when it starts.
    store.filters.status = 'failed'
    await store.search()
    expect(ids(store)).toEqual([])
    await startApprovals(app, 1)
    app.failShip.on = true
    const { runId: failed } = await app.nvent.flow.start('order', { sku: 'g' })
    await waitFor(() => ids(store)[0] === failed, 'the failed run to enter the list')
    expect(ids(store)).toEqual([failed])
    expect(store.missed.value).toBe(0)
    stop()
  })
})
