/** Store conformance: run records, atomic transitions and paging. */
import { describe, expect, it } from 'vitest'
import type { RunEventInput, RunRecord, RunStatus } from '../../src/runtime/types/run'
import { useAdapters } from './adapter-helpers'
import type { Backend } from './backend'

export function makeRun(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  const now = Date.now()
  return { id, flowName: 'orders', status: 'running', input: { id }, steps: {}, emitted: {}, createdAt: now, updatedAt: now, ...overrides }
}

export function event(run: RunRecord, type: RunEventInput['type'], data?: unknown): RunEventInput {
  return { type, runId: run.id, flowName: run.flowName, data }
}

export function describeStoreRuns(backend: Backend) {
  describe(`${backend.name} store: runs`, () => {
    const adapters = useAdapters(backend)

    it('creates a run once, with its first events stamped', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1', { input: { nested: { list: [1, 'two', null] }, n: 1.5, flag: true } })
      const events = await store.createRun(run, [event(run, 'flow.start', { by: 'test' })])
      expect(events).toEqual([expect.objectContaining({ type: 'flow.start', runId: 'r1', data: { by: 'test' }, id: expect.any(String), ts: expect.any(Number) })])
      expect(await store.createRun(makeRun('r1', { input: 'other' }), [])).toBeNull()
      expect(await store.getRun('r1')).toEqual(run)
      expect(await store.getRun('nope')).toBeNull()
    })

    it('hands out copies: changing a returned record changes nothing stored', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1')
      await store.createRun(run, [])
      run.status = 'failed'
      const read = (await store.getRun('r1'))!
      read.steps.hacked = { status: 'completed', attempt: 1, queuedAt: 0 }
      expect(await store.getRun('r1')).toEqual(makeRun('r1', { createdAt: run.createdAt, updatedAt: run.updatedAt }))
    })

    it('keeps nothing of what a transition hands in or gets back: changing either changes nothing stored', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1')
      await store.createRun(run, [])
      const output = { total: 1 }
      const done = (await store.updateRun('r1', current => ({
        run: { ...current, steps: { a: { status: 'completed', attempt: 1, queuedAt: 0, output } } },
        events: [event(current, 'step.completed', { output })],
      })))!
      output.total = 2
      done.run.steps.a!.status = 'failed'
      ;(done.events[0]!.data as { output: { total: number } }).output.total = 3
      const logged = await store.appendEvents('r1', [event(run, 'log', { message: 'kept' })])
      ;(logged[0]!.data as { message: string }).message = 'changed'
      expect((await store.getRun('r1'))!.steps.a).toEqual({ status: 'completed', attempt: 1, queuedAt: 0, output: { total: 1 } })
      expect((await store.readEvents('r1')).map(e => e.data)).toEqual([{ output: { total: 1 } }, { message: 'kept' }])
    })

    it.skipIf(!backend.attach)('computes a transition from the current record, not from the one it committed last, after another instance wrote', async () => {
      // `store` may remember what it committed (one round trip per transition); `other` is another instance.
      const first = await adapters.create()
      const { store } = first
      const { store: other } = await adapters.attach(first)
      await store.createRun(makeRun('r1'), [])
      await other.updateRun('r1', current => ({ run: { ...current, steps: { b: { status: 'queued', attempt: 0, queuedAt: 1 } } }, events: [] }))
      // Finds nothing to do in the record `store` committed (no step b): only the current one may say so.
      const begun = await store.updateRun('r1', current => current.steps.b?.status === 'queued'
        ? { run: { ...current, steps: { b: { ...current.steps.b, status: 'running' } } }, events: [] }
        : null)
      expect(begun!.run.steps.b!.status).toBe('running')
      // Events the other instance appended moved updatedAt: a transition that judges by it sees that.
      const [appended] = await other.appendEvents('r1', [event(makeRun('r1'), 'log', 'x')])
      let seen = 0
      await store.updateRun('r1', (current) => {
        seen = current.updatedAt
        return { run: { ...current, emitted: { count: 1 } }, events: [] }
      })
      expect(seen).toBe(appended!.ts)
      expect(await store.getRun('r1')).toMatchObject({ steps: { b: { status: 'running' } }, emitted: { count: 1 } })
    })

    it('applies 50 concurrent updateRun mutations atomically', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1', { emitted: { count: 0 } })
      await store.createRun(run, [event(run, 'flow.start')])
      await Promise.all(Array.from({ length: 50 }, () => store.updateRun('r1', current => ({
        run: { ...current, emitted: { count: (current.emitted.count as number) + 1 } },
        events: [event(current, 'state', { count: (current.emitted.count as number) + 1 })],
      }))))
      expect((await store.getRun('r1'))!.emitted.count).toBe(50)
      const events = await store.readEvents('r1', { limit: 100 })
      expect(events.slice(1).map(e => (e.data as { count: number }).count)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    })

    it('returns the new record and events of an update, and null when there is nothing to do', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1')
      await store.createRun(run, [])
      const result = await store.updateRun('r1', current => ({ run: { ...current, status: 'completed', finishedAt: 5 }, events: [event(current, 'flow.completed')] }))
      expect(result!.run).toMatchObject({ status: 'completed', finishedAt: 5 })
      expect(result!.events).toEqual([expect.objectContaining({ type: 'flow.completed', id: expect.any(String) })])
      expect(await store.updateRun('r1', () => null)).toBeNull()
      expect(await store.updateRun('missing', current => ({ run: current, events: [] }))).toBeNull()
      expect(await store.readEvents('r1')).toHaveLength(1)
    })

    it('lists a flow\'s runs newest first, paging with a cursor and filtering by status', async () => {
      const { store } = await adapters.create()
      const statuses: RunStatus[] = ['running', 'completed', 'running', 'failed', 'running', 'completed', 'running']
      for (const [i, status] of statuses.entries())
        await store.createRun(makeRun(`r${i}`, { status, createdAt: 1000 + i }), [])
      await store.createRun(makeRun('elsewhere', { flowName: 'other' }), [])
      const seen: string[] = []
      let page = await store.listRuns({ flow: 'orders', limit: 3 })
      seen.push(...page.items.map(r => r.id))
      while (page.cursor) {
        expect(page.total).toBe(7)
        page = await store.listRuns({ flow: 'orders', limit: 3, cursor: page.cursor })
        seen.push(...page.items.map(r => r.id))
      }
      expect(seen).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0'])
      const running = await store.listRuns({ flow: 'orders', status: 'running', limit: 2 })
      expect(running.items.map(r => r.id)).toEqual(['r6', 'r4'])
      expect(running.total).toBe(4)
      expect((await store.listRuns({ flow: 'orders', status: 'running', limit: 2, cursor: running.cursor })).items.map(r => r.id)).toEqual(['r2', 'r0'])
      expect(await store.listRuns({ flow: 'nobody' })).toEqual({ items: [], total: 0 })
    })
  })
}
