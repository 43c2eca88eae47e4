/**
 * Store conformance: what keeps the store bounded. Finished runs pruned by count and age per flow (each
 * with its event log and state), each run's log capped, run state in scopes that clear at once.
 */
import { describe, expect, it } from 'vitest'
import type { StoreAdapter } from '../../src/runtime/contracts/store'
import type { RunStatus } from '../../src/runtime/types/run'
import { useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'
import { event, makeRun } from './store-runs'

/** Creates a run of `flowName` that ended with `status` at `finishedAt`, with an event and a state key. */
async function finishedRun(store: StoreAdapter, id: string, status: RunStatus, finishedAt: number, flowName = 'orders') {
  const run = makeRun(id, { flowName, createdAt: finishedAt - 1000, updatedAt: finishedAt - 1000 })
  await store.createRun(run, [event(run, 'flow.start')])
  await store.stateSet(id, 'note', { id })
  if (status !== 'running')
    await store.updateRun(id, current => ({ run: { ...current, status, finishedAt, updatedAt: finishedAt }, events: [event(current, 'flow.completed')] }))
}

async function remaining(store: StoreAdapter, flowName = 'orders'): Promise<string[]> {
  return (await store.listRuns({ flow: flowName, limit: 100 })).items.map(run => run.id).sort()
}

export function describeStoreRetention(backend: Backend) {
  describe(`${backend.name} store: retention`, () => {
    const adapters = useAdapters(backend)

    it('prunes finished runs beyond the count, oldest finished first, with their events and state', async () => {
      const { store } = await adapters.create()
      const now = Date.now()
      // Finish order differs from creation order: the newest finished are kept.
      for (const [i, finishedAt] of [now - 50, now - 10, now - 40, now - 20, now - 30].entries())
        await finishedRun(store, `done-${i}`, 'completed', finishedAt)
      await finishedRun(store, 'failed-1', 'failed', now - 30)
      await finishedRun(store, 'canceled-1', 'canceled', now - 20)
      await finishedRun(store, 'stalled-1', 'stalled', now - 10)
      await finishedRun(store, 'live-1', 'running', now - 5_000_000)
      await finishedRun(store, 'other-1', 'completed', now - 100, 'shipping')

      expect(await store.pruneRuns('orders', { completed: { count: 2 }, failed: { count: 1 } })).toBe(5)
      expect(await remaining(store)).toEqual(['done-1', 'done-3', 'live-1', 'stalled-1'])
      for (const id of ['done-0', 'done-2', 'done-4', 'failed-1', 'canceled-1']) {
        expect(await store.getRun(id), id).toBeNull()
        expect(await store.readEvents(id), id).toEqual([])
        expect(await store.stateGet(id, 'note'), id).toBeUndefined()
      }
      expect((await store.listRuns({ flow: 'orders', status: 'completed' })).total).toBe(2)
      expect(await store.stateGet('done-1', 'note')).toEqual({ id: 'done-1' })
      expect(await store.readEvents('done-1')).toHaveLength(2)
      expect(await remaining(store, 'shipping')).toEqual(['other-1'])
      expect(await store.pruneRuns('orders', { completed: { count: 2 }, failed: { count: 1 } })).toBe(0)
    })

    it('prunes finished runs older than the age, and keeps every run without limits', async () => {
      const { store } = await adapters.create()
      const now = Date.now()
      await finishedRun(store, 'old-done', 'completed', now - 60_000)
      await finishedRun(store, 'new-done', 'completed', now - 1_000)
      await finishedRun(store, 'old-failed', 'failed', now - 60_000)
      await finishedRun(store, 'old-live', 'running', now - 60_000)
      expect(await store.pruneRuns('orders', { completed: {}, failed: {} })).toBe(0)
      expect(await store.pruneRuns('orders', { completed: { age: 30_000 }, failed: { count: 10 } })).toBe(1)
      expect(await remaining(store)).toEqual(['new-done', 'old-failed', 'old-live'])
      expect(await store.pruneRuns('orders', { completed: { count: 10, age: 30_000 }, failed: { age: 30_000 } })).toBe(1)
      expect(await remaining(store)).toEqual(['new-done', 'old-live'])
    })

    it('keeps the last eventsPerRun events of a run, with ids that go on increasing', async () => {
      const { store } = await adapters.create({ eventsPerRun: 5 })
      const run = makeRun('r1')
      await store.createRun(run, [event(run, 'flow.start', 0)])
      const ids: string[] = []
      for (let i = 1; i <= 6; i++)
        ids.push(...(await store.appendEvents('r1', [event(run, 'log', i)])).map(e => e.id))
      ids.push(...(await store.appendEvents('r1', [event(run, 'log', 7), event(run, 'log', 8)])).map(e => e.id))
      const transition = await store.updateRun('r1', current => ({ run: current, events: [event(current, 'state', 9), event(current, 'state', 10)] }))
      ids.push(...transition!.events.map(e => e.id))
      const kept = await store.readEvents('r1')
      expect(kept.map(e => e.data)).toEqual([6, 7, 8, 9, 10])
      expect(kept.map(e => e.id)).toEqual(ids.slice(-5))
      expect([...ids].sort()).toEqual(ids)
      expect((await store.readEvents('r1', { after: ids.at(-3) })).map(e => e.data)).toEqual([9, 10])
      expect((await store.readEvents('r1', { after: ids[0], limit: 2 })).map(e => e.data)).toEqual([6, 7])
    })

    it('keeps state per scope: set, get, delete, clear, and expiry', async () => {
      const { store } = await adapters.create()
      await store.stateSet('r1', 'a', 1)
      await store.stateSet('r1', 'b', { deep: [true, null] })
      await store.stateSet('r1', 'a', 2)
      await store.stateSet('r2', 'a', 'other scope')
      await store.stateSet('r2', 'short', 'gone soon', { ttl: 30 })
      expect(await store.stateGet('r1', 'a')).toBe(2)
      expect(await store.stateGet('r1', 'b')).toEqual({ deep: [true, null] })
      await store.stateDelete('r1', 'b')
      expect(await store.stateGet('r1', 'b')).toBeUndefined()
      await store.stateClear('r1')
      expect(await store.stateGet('r1', 'a')).toBeUndefined()
      expect(await store.stateGet('r2', 'a')).toBe('other scope')
      await waitFor(async () => (await store.stateGet('r2', 'short')) === undefined, 'the short key to expire')
      // A scope's keys are its own: no other scope, and no kv key, shares them.
      await store.kvSet('r2', 'a kv key')
      expect(await store.stateGet('r2', 'a')).toBe('other scope')
      await store.stateClear('never-used')
    })

    it('lists the flows that have runs', async () => {
      const { store } = await adapters.create()
      expect(await store.listFlows()).toEqual([])
      await finishedRun(store, 'a1', 'running', Date.now(), 'alpha')
      await finishedRun(store, 'b1', 'completed', Date.now(), 'beta')
      await finishedRun(store, 'b2', 'running', Date.now(), 'beta')
      expect((await store.listFlows()).sort()).toEqual(['alpha', 'beta'])
    })

    it.runIf(Boolean(backend.reopen))('keeps what pruning, the event cap and state did across a restart', async () => {
      const before = await adapters.create({ eventsPerRun: 3 })
      const now = Date.now()
      await finishedRun(before.store, 'gone', 'completed', now - 20)
      await finishedRun(before.store, 'kept', 'completed', now - 10)
      for (let i = 0; i < 4; i++)
        await before.store.appendEvents('kept', [event(makeRun('kept'), 'log', i)])
      expect(await before.store.pruneRuns('orders', { completed: { count: 1 }, failed: {} })).toBe(1)
      await before.store.stateSet('kept', 'extra', 'x')
      await before.store.stateClear('kept')
      const { store } = await adapters.reopen(before)
      expect(await store.getRun('gone')).toBeNull()
      expect((await store.readEvents('kept')).map(e => e.data)).toEqual([1, 2, 3])
      expect(await store.stateGet('kept', 'note')).toBeUndefined()
      expect(await store.stateGet('kept', 'extra')).toBeUndefined()
      await store.appendEvents('kept', [event(makeRun('kept'), 'log', 4)])
      expect((await store.readEvents('kept')).map(e => e.data)).toEqual([2, 3, 4])
      expect(await store.listFlows()).toEqual(['orders'])
    })
  })
}
