/** Store conformance: the monitor's queries. Runs across flows with filters, and the counters kept as runs change. */
import { describe, expect, it } from 'vitest'
import type { RunQuery, StoreAdapter } from '../../src/runtime/contracts/store'
import type { RunRecord, RunStatus } from '../../src/runtime/types/run'
import { useAdapters } from './adapter-helpers'
import type { Backend } from './backend'
import { event, makeRun } from './store-runs'

const MINUTE = 60_000
// Recent minutes: stores keep the per-minute history for `RUN_MINUTES_KEPT` only.
const T0 = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE

/** Every page of `query`, checking that each page reports the same total. */
async function allPages(store: StoreAdapter, query: RunQuery): Promise<{ ids: string[], total: number }> {
  const ids: string[] = []
  let page = await store.listRuns(query)
  ids.push(...page.items.map(run => run.id))
  while (page.cursor) {
    const total = page.total
    page = await store.listRuns({ ...query, cursor: page.cursor })
    expect(page.total).toBe(total)
    ids.push(...page.items.map(run => run.id))
  }
  return { ids, total: page.total }
}

/** Moves a run to `status` at `time`, as a transition would. */
async function finish(store: StoreAdapter, runId: string, status: RunStatus, time: number) {
  await store.updateRun(runId, current => ({ run: { ...current, status, finishedAt: time, updatedAt: time }, events: [event(current, 'flow.completed')] }))
}

export function describeStoreQueries(backend: Backend) {
  describe(`${backend.name} store: monitor queries`, () => {
    const adapters = useAdapters(backend)

    it('lists runs across flows newest first, filtered by flow, status, id prefix and time, with totals', async () => {
      const { store } = await adapters.create()
      const flows = ['orders', 'mail', 'orders', 'billing', 'mail', 'orders']
      for (const [i, flowName] of flows.entries())
        await store.createRun(makeRun(`${i % 2 ? 'ab' : 'cd'}-${i}`, { flowName, createdAt: T0 + i * 1000, updatedAt: T0 + i * 1000 }), [])
      // Two runs in the same millisecond keep a stable order across pages.
      await store.createRun(makeRun('ab-tie', { flowName: 'orders', createdAt: T0 + 5000, updatedAt: T0 + 5000 }), [])
      await finish(store, 'cd-2', 'completed', T0 + 9000)
      await finish(store, 'ab-3', 'failed', T0 + 9000)

      const every = await allPages(store, { limit: 2 })
      expect(every.total).toBe(7)
      expect(every.ids.slice(0, 2).sort()).toEqual(['ab-5', 'ab-tie'])
      expect(every.ids.slice(2)).toEqual(['cd-4', 'ab-3', 'cd-2', 'ab-1', 'cd-0'])

      expect(await allPages(store, { flow: 'mail' })).toEqual({ ids: ['cd-4', 'ab-1'], total: 2 })
      expect(await allPages(store, { status: 'completed' })).toEqual({ ids: ['cd-2'], total: 1 })
      expect(await allPages(store, { status: 'running', flow: 'orders', limit: 1 })).toMatchObject({ total: 3 })
      expect((await allPages(store, { idPrefix: 'ab', limit: 1 })).ids.sort()).toEqual(['ab-1', 'ab-3', 'ab-5', 'ab-tie'])
      expect(await allPages(store, { idPrefix: 'ab-', status: 'failed' })).toEqual({ ids: ['ab-3'], total: 1 })
      expect(await allPages(store, { idPrefix: 'zz' })).toEqual({ ids: [], total: 0 })
      // `from` is inclusive, `to` exclusive.
      expect(await allPages(store, { from: T0 + 1000, to: T0 + 4000, limit: 2 })).toEqual({ ids: ['ab-3', 'cd-2', 'ab-1'], total: 3 })
      expect(await allPages(store, { flow: 'orders', from: T0 + 2000, idPrefix: 'cd' })).toEqual({ ids: ['cd-2'], total: 1 })
      expect((await store.listRuns({ flow: 'orders', limit: 1 })).items[0]).toMatchObject({ flowName: 'orders' })
    })

    it('refuses a malformed query with a 400 naming the field', async () => {
      const { store } = await adapters.create()
      const bad: Array<[RunQuery, RegExp]> = [
        [{ status: 'done' as RunStatus }, /status/],
        [{ idPrefix: '' }, /idPrefix/],
        [{ from: Number.NaN }, /from/],
        [{ to: 1.5 }, /to/],
        [{ limit: 0 }, /limit/],
        [{ cursor: 'garbage' }, /cursor/],
      ]
      for (const [query, field] of bad)
        await expect(store.listRuns(query)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(field) })
    })

    it('keeps run counts by flow and status, awaiting ones, and starts and ends per minute', async () => {
      const { store } = await adapters.create()
      expect(await store.runStats(T0)).toEqual({ flows: {}, minutes: [] })
      for (const [i, flowName] of ['orders', 'orders', 'orders', 'mail'].entries())
        await store.createRun(makeRun(`r${i}`, { flowName, createdAt: T0 + i, updatedAt: T0 + i }), [])
      await finish(store, 'r0', 'completed', T0 + MINUTE + 5)
      await finish(store, 'r1', 'failed', T0 + MINUTE + 6)
      await finish(store, 'r3', 'canceled', T0 + 2 * MINUTE)
      // A step on an await makes the run count as awaiting until the step moves on.
      const awaiting = (run: RunRecord, status: 'awaiting' | 'queued'): RunRecord => ({ ...run, updatedAt: T0 + 2 * MINUTE, steps: { wait: { status, attempt: 0, queuedAt: T0 } } })
      await store.updateRun('r2', run => ({ run: awaiting(run, 'awaiting'), events: [] }))
      // A transition that changes no status changes no count.
      await store.updateRun('r0', run => ({ run: { ...run, emitted: { seen: true } }, events: [] }))

      let stats = await store.runStats(T0)
      expect(stats.flows).toEqual({ orders: { completed: 1, failed: 1, running: 1, awaiting: 1 }, mail: { canceled: 1 } })
      expect(stats.minutes).toEqual([
        { minute: T0, started: 4, completed: 0, failed: 0, canceled: 0, stalled: 0 },
        { minute: T0 + MINUTE, started: 0, completed: 1, failed: 1, canceled: 0, stalled: 0 },
        { minute: T0 + 2 * MINUTE, started: 0, completed: 0, failed: 0, canceled: 1, stalled: 0 },
      ])
      expect((await store.runStats(T0 + MINUTE + 59_999)).minutes.map(m => m.minute)).toEqual([T0 + MINUTE, T0 + 2 * MINUTE])

      await store.updateRun('r2', run => ({ run: awaiting(run, 'queued'), events: [] }))
      await finish(store, 'r2', 'stalled', T0 + 3 * MINUTE)
      stats = await store.runStats(T0 + 3 * MINUTE)
      expect(stats.flows.orders).toEqual({ completed: 1, failed: 1, stalled: 1 })
      expect(stats.minutes).toEqual([{ minute: T0 + 3 * MINUTE, started: 0, completed: 0, failed: 0, canceled: 0, stalled: 1 }])
    })

    it('takes pruned runs out of the counts, not out of the minutes', async () => {
      const { store } = await adapters.create()
      const now = Date.now()
      for (const i of [0, 1, 2]) {
        await store.createRun(makeRun(`r${i}`, { createdAt: now - 5000 + i, updatedAt: now - 5000 + i }), [])
        await finish(store, `r${i}`, 'completed', now - 1000 + i)
      }
      await store.createRun(makeRun('live', { createdAt: now, updatedAt: now }), [])
      expect(await store.pruneRuns('orders', { completed: { count: 1 }, failed: {} })).toBe(2)
      const stats = await store.runStats(now - 10_000)
      expect(stats.flows).toEqual({ orders: { completed: 1, running: 1 } })
      const sum = (field: 'started' | 'completed') => stats.minutes.reduce((n, m) => n + m[field], 0)
      expect([sum('started'), sum('completed')]).toEqual([4, 3])
      expect((await store.listRuns({})).total).toBe(2)
    })
  })
}
