import { describe, expect, it } from 'vitest'
import { createOverviewStore } from '../../devtools-client/src/stores/overview'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from '../monitor/monitor-app'
import { directTransport } from './direct-transport'

describe('devtools client: overview store', () => {
  const start = useMonitorApp()

  it('is empty for a fresh app, then counts runs by status over all flows and by flow, and the hour by minute', async () => {
    const app = await start()
    const store = createOverviewStore(directTransport(app.nvent.monitor))
    await store.refresh()
    expect(store.empty.value).toBe(true)
    expect(store.totals.value).toEqual({ running: 0, awaiting: 0, completed: 0, failed: 0, canceled: 0, stalled: 0 })
    expect(store.flows.value).toEqual([])

    for (const sku of ['a', 'b'])
      await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku })).runId)
    app.failShip.on = true
    await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku: 'c' })).runId)
    await store.refresh()

    expect(store.empty.value).toBe(false)
    expect(store.totals.value).toMatchObject({ completed: 2, failed: 1, running: 0, awaiting: 0 })
    expect(store.flows.value).toEqual([{ name: 'order', counts: { running: 0, awaiting: 0, completed: 2, failed: 1, canceled: 0, stalled: 0 } }])
    const minutes = store.overview.data.value!.minutes
    expect(minutes.reduce((sum, minute) => sum + minute.failed, 0)).toBe(1)
    expect(store.active.data.value!.items).toEqual([])
    expect(store.overview.error.value).toBeUndefined()
  })

  it('follows live messages: an awaiting run shows in the counters, active and awaiting lists, and leaves them when resolved', async () => {
    const app = await start()
    const transport = directTransport(app.nvent.monitor)
    const store = createOverviewStore(transport)
    await store.refresh()
    const stop = transport.live({ onMessage: store.apply, onReset: () => void store.refresh() })
    try {
      const { runId } = await app.nvent.flow.start('approval', {})
      await waitFor(() => store.awaiting.data.value?.length === 1 && store.totals.value.awaiting === 1, 'the await in the overview')
      expect(store.awaiting.data.value![0]).toMatchObject({ runId, flowName: 'approval', step: 'approve' })
      expect(store.active.data.value!.items.map(run => run.id)).toEqual([runId])
      expect(store.flows.value.map(flow => flow.name)).toEqual(['approval'])

      await app.nvent.monitor.resolveAwait(runId, 'approve', { ok: true })
      await waitFor(() => store.totals.value.completed === 1 && store.awaiting.data.value?.length === 0, 'the completion in the overview')
      expect(store.totals.value).toMatchObject({ running: 0, awaiting: 0 })
      expect(store.active.data.value!.items).toEqual([])
    }
    finally {
      stop()
    }
  })

  it('re-reads the queue backlog when a queue.counts message comes', async () => {
    const app = await start({ workers: false })
    const transport = directTransport(app.nvent.monitor)
    const store = createOverviewStore(transport)
    await store.refresh()
    expect(store.overview.data.value!.backlog).toBe(0)
    const stop = transport.live({ onMessage: store.apply, onReset: () => void store.refresh() })
    try {
      await app.nvent.queue.enqueue('mail', { name: 'mail', data: {} })
      await waitFor(() => store.overview.data.value!.backlog === 1, 'the backlog')
      expect(store.overview.data.value!.queues.find(queue => queue.name === 'mail')!.counts.waiting).toBe(1)
    }
    finally {
      stop()
    }
  })
})
