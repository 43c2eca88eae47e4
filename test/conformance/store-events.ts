/** Store conformance: each run's event log. */
import { describe, expect, it } from 'vitest'
import { sleep, useAdapters } from './adapter-helpers'
import type { Backend } from './backend'
import { event, makeRun } from './store-runs'

export function describeStoreEvents(backend: Backend) {
  describe(`${backend.name} store: events`, () => {
    const adapters = useAdapters(backend)

    it('appends events, ordered within the run, and moves updatedAt', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1', { updatedAt: 1 })
      await store.createRun(run, [event(run, 'flow.start')])
      await sleep(2)
      const appended = await store.appendEvents('r1', [event(run, 'log', 'a'), event(run, 'log', 'b')])
      const all = await store.readEvents('r1')
      expect(all.map(e => e.type)).toEqual(['flow.start', 'log', 'log'])
      expect(all.slice(1)).toEqual(appended)
      const ids = all.map(e => e.id)
      expect([...ids].sort()).toEqual(ids)
      expect(new Set(ids).size).toBe(3)
      expect((await store.getRun('r1'))!.updatedAt).toBeGreaterThanOrEqual(appended[0].ts)
    })

    it('reads events after an id (exclusive) and up to a limit', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1')
      await store.createRun(run, [event(run, 'flow.start', 0)])
      for (let i = 1; i < 10; i++) await store.appendEvents('r1', [event(run, 'log', i)])
      const firstPage = await store.readEvents('r1', { limit: 4 })
      expect(firstPage.map(e => e.data)).toEqual([0, 1, 2, 3])
      const next = await store.readEvents('r1', { after: firstPage[3].id, limit: 4 })
      expect(next.map(e => e.data)).toEqual([4, 5, 6, 7])
      expect((await store.readEvents('r1', { after: next[3].id })).map(e => e.data)).toEqual([8, 9])
      expect(await store.readEvents('r1', { after: (await store.readEvents('r1')).at(-1)!.id })).toEqual([])
      expect(await store.readEvents('missing')).toEqual([])
    })

    it('keeps each run\'s log to itself', async () => {
      const { store } = await adapters.create()
      const a = makeRun('a')
      const b = makeRun('b')
      await store.createRun(a, [event(a, 'flow.start', 'a')])
      await store.createRun(b, [event(b, 'flow.start', 'b')])
      await store.appendEvents('a', [event(a, 'log', 'a2')])
      expect((await store.readEvents('a')).map(e => e.data)).toEqual(['a', 'a2'])
      expect((await store.readEvents('b')).map(e => e.data)).toEqual(['b'])
    })
  })
}
