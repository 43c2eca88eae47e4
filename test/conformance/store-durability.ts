/** Store conformance for backends that persist: runs, event logs, keys and named logs survive a restart. */
import { describe, expect, it } from 'vitest'
import { useAdapters } from './adapter-helpers'
import type { Backend } from './backend'
import { readAll } from './store-logs'
import { event, makeRun } from './store-runs'

export function describeStoreDurability(backend: Backend) {
  describe.runIf(Boolean(backend.reopen))(`${backend.name} store: durability`, () => {
    const adapters = useAdapters(backend)

    it('keeps runs, their events and keys across a restart', async () => {
      const before = await adapters.create()
      const run = makeRun('r1', { input: { order: 7 } })
      await before.store.createRun(run, [event(run, 'flow.start')])
      await before.store.updateRun('r1', current => ({ run: { ...current, status: 'completed' }, events: [event(current, 'flow.completed')] }))
      await before.store.appendEvents('r1', [event(run, 'log', 'after')])
      await before.store.kvSet('kept', { v: [1, 2] })
      await before.store.kvSet('claimed', true, { ttl: 60_000 })
      await before.store.kvSet('deleted', 1)
      await before.store.kvDelete('deleted')
      const eventsBefore = await before.store.readEvents('r1')
      const runBefore = await before.store.getRun('r1')

      const { store } = await adapters.reopen(before)
      expect(await store.getRun('r1')).toEqual(runBefore)
      expect(await store.readEvents('r1')).toEqual(eventsBefore)
      expect((await store.listRuns({ flow: 'orders' })).total).toBe(1)
      expect(await store.kvGet('kept')).toEqual({ v: [1, 2] })
      expect(await store.kvClaim('claimed', false)).toBe(false)
      expect(await store.kvGet('deleted')).toBeUndefined()
      const [next] = await store.appendEvents('r1', [event(run, 'log', 'after restart')])
      expect(next.id > eventsBefore.at(-1)!.id).toBe(true)
    })

    it('keeps named logs and listed keys across a restart, and goes on numbering and capping', async () => {
      const before = await adapters.create()
      for (let i = 0; i < 6; i++) await before.store.logAppend('fired', { i }, { maxLength: 4 })
      await before.store.logAppend('other', 'x', { maxLength: 4 })
      await before.store.kvSet('t:b', { v: 2 })
      await before.store.kvSet('t:a', [1])
      const logBefore = await readAll(before.store, 'fired', 3)

      const { store } = await adapters.reopen(before)
      expect(await readAll(store, 'fired', 3)).toEqual(logBefore)
      expect(logBefore.map(e => e.data)).toEqual([{ i: 5 }, { i: 4 }, { i: 3 }, { i: 2 }])
      expect(await store.kvEntries('t:')).toEqual([{ key: 't:a', value: [1] }, { key: 't:b', value: { v: 2 } }])
      const next = await store.logAppend('fired', { i: 6 }, { maxLength: 4 })
      expect(await readAll(store, 'fired', 3)).toEqual([next, ...logBefore.slice(0, 3)])
      expect((await store.logRead('other')).items.map(e => e.data)).toEqual(['x'])
    })
  })
}
