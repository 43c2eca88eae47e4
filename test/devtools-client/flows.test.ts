import { afterEach, describe, expect, it, vi } from 'vitest'
import { watch } from 'vue'
import { awaitStatus, createFlowsStore } from '../../devtools-client/src/stores/flows'
import { waitForRunEnd } from '../helpers/engine-app'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'
import { directTransport } from './direct-transport'

describe('devtools client: flows store', () => {
  const start = useMonitorApp()
  const stops: Array<() => void> = []
  afterEach(() => stops.splice(0).forEach(stop => stop()))

  /** A store on the app's monitor, fed its live messages as the view does. */
  async function storeOf(app: MonitorApp) {
    const transport = directTransport(app.nvent.monitor)
    const store = createFlowsStore(transport)
    stops.push(transport.live({ onMessage: message => store.apply(message), onReset: () => void store.reload() }))
    await store.flows.refresh()
    return store
  }
  const statuses = (store: ReturnType<typeof createFlowsStore>) =>
    Object.fromEntries(Object.entries(store.steps.value ?? {}).map(([name, step]) => [name, step.status]))

  it('follows the newest run of the selected flow live, and colours its steps as they end', async () => {
    const app = await start()
    const store = await storeOf(app)
    expect(store.flows.data.value!.map(flow => flow.name).sort()).toEqual(['approval', 'order', 'parent', 'pause'])
    await store.select('order')
    expect(store.flow.value).toMatchObject({ name: 'order', entry: 'receive' })
    expect(store.runs.value).toEqual([])
    expect(store.steps.value).toBeUndefined()

    const { runId } = await app.nvent.flow.start('order', { sku: 'a' })
    await vi.waitFor(() => expect(store.runId.value).toBe(runId))
    await waitForRunEnd(app.nvent, runId)
    await vi.waitFor(() => expect(statuses(store)).toEqual({ receive: 'completed', ship: 'completed' }))
    await vi.waitFor(() => expect(store.runs.value).toEqual([expect.objectContaining({ id: runId, status: 'completed' })]))
  })

  it('keeps a chosen run while newer ones start, and shows a failed run\'s failed step', async () => {
    const app = await start()
    app.failShip.on = true
    const { runId: failed } = await app.nvent.flow.start('order', { sku: 'b' })
    await waitForRunEnd(app.nvent, failed)
    app.failShip.on = false
    const store = await storeOf(app)
    await store.select('order')
    await store.selectRun(failed)
    expect(statuses(store)).toEqual({ receive: 'completed', ship: 'failed' })
    expect(store.run.value!.run.status).toBe('failed')

    const { runId: newer } = await app.nvent.flow.start('order', { sku: 'c' })
    await vi.waitFor(() => expect(store.runs.value.map(run => run.id)).toEqual([newer, failed]))
    expect(store.runId.value).toBe(failed)
    await store.selectRun('latest')
    expect(store.run.value!.run.id).toBe(newer)
    await store.selectRun(undefined)
    expect(store.steps.value).toBeUndefined()
  })

  it('lists only the selected flow\'s runs, and ignores a read for the flow selected before', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('order', { sku: 'd' })
    await waitForRunEnd(app.nvent, runId)
    const store = await storeOf(app)
    const seen: string[] = []
    watch(store.runs, runs => seen.push(`${store.flowName.value}: ${runs.map(run => run.flowName).join()}`), { flush: 'sync' })
    const slow = store.select('order')
    await store.select('approval')
    await slow
    expect(seen.filter(entry => entry.includes('order'))).toEqual([])
    expect(store.runs.value).toEqual([])
    expect(store.run.value).toBeUndefined()
    await store.select('order')
    expect(store.runs.value.map(run => run.id)).toEqual([runId])
  })

  it('keeps the same graphs while the flows read the same, and takes a changed one', async () => {
    const app = await start()
    const store = await storeOf(app)
    const before = store.flows.data.value
    await store.flows.refresh()
    expect(store.flows.data.value).toBe(before)
    await app.nvent.monitor.disableTrigger('nightly')
    await store.flows.refresh()
    expect(store.flows.data.value).not.toBe(before)
    expect(store.flows.data.value!.find(flow => flow.name === 'order')!.triggers[0]!.enabled).toBe(false)
  })

  it('shows a step\'s await open, then passed once resolved', async () => {
    const app = await start()
    const store = await storeOf(app)
    await store.select('approval')
    const { runId } = await app.nvent.flow.start('approval', {})
    await vi.waitFor(() => expect(store.steps.value?.approve?.status).toBe('awaiting'))
    expect(awaitStatus(store.steps.value!.approve, 'before')).toBe('awaiting')
    expect(awaitStatus(store.steps.value!.ask, 'before')).toBe('completed')
    await app.nvent.monitor.resolveAwait(runId, 'approve', { ok: true })
    await waitForRunEnd(app.nvent, runId)
    await vi.waitFor(() => expect(store.steps.value!.approve!.status).toBe('completed'))
    expect(awaitStatus(store.steps.value!.approve, 'before')).toBe('completed')
    expect(awaitStatus(store.steps.value!.approve, 'after')).toBeUndefined()
    expect(awaitStatus(undefined, 'before')).toBeUndefined()
  })
})
