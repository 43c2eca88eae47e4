/** Store conformance for backends that persist: runs, logs and keys survive a restart. */
import { describe, expect, it } from 'vitest'
import { useAdapters } from './adapter-helpers'
import type { Backend } from './backend'
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
      expect((await store.listRuns('orders')).total).toBe(1)
      expect(await store.kvGet('kept')).toEqual({ v: [1, 2] })
      expect(await store.kvClaim('claimed', false)).toBe(false)
      expect(await store.kvGet('deleted')).toBeUndefined()
      const [next] = await store.appendEvents('r1', [event(run, 'log', 'after restart')])
      expect(next.id > eventsBefore.at(-1)!.id).toBe(true)
    })
  })
}
