/** Store conformance: named logs (a trigger's firing history), capped and paged newest first. */
import { describe, expect, it } from 'vitest'
import type { LogEntry, StoreAdapter } from '../../src/runtime/contracts/store'
import { useAdapters } from './adapter-helpers'
import type { Backend } from './backend'
import { event, makeRun } from './store-runs'

/** Every entry of `log`, newest first, read `limit` at a time through the cursors. */
export async function readAll(store: StoreAdapter, log: string, limit: number): Promise<LogEntry[]> {
  const items: LogEntry[] = []
  let before: string | undefined
  do {
    const page = await store.logRead(log, { before, limit })
    expect(page.items.length).toBeLessThanOrEqual(limit)
    items.push(...page.items)
    before = page.cursor
  } while (before)
  return items
}

export function describeStoreLogs(backend: Backend) {
  describe(`${backend.name} store: logs`, () => {
    const adapters = useAdapters(backend)

    it('appends entries and reads them newest first, data as it was appended', async () => {
      const { store } = await adapters.create()
      const startedAt = Date.now()
      const data = [{ fired: 1, payload: { list: [1, 'two', null], flag: true } }, 'text', null, 4.5]
      const appended = []
      for (const item of data) appended.push(await store.logAppend('trigger:a', item, { maxLength: 10 }))
      expect(appended.map(e => e.data)).toEqual(data)
      for (const entry of appended) {
        expect(entry.id).toEqual(expect.any(String))
        expect(entry.ts).toBeGreaterThanOrEqual(startedAt - 1_000)
        expect(entry.ts).toBeLessThanOrEqual(Date.now() + 1_000)
      }
      expect(new Set(appended.map(e => e.id)).size).toBe(data.length)
      expect(await store.logRead('trigger:a')).toEqual({ items: [...appended].reverse() })
    })

    it('pages with a cursor until the oldest entry, without repeats or gaps', async () => {
      const { store } = await adapters.create()
      for (let i = 0; i < 23; i++) await store.logAppend('paged', { i }, { maxLength: 100 })
      const expected = Array.from({ length: 23 }, (_, i) => ({ i: 22 - i }))
      expect((await readAll(store, 'paged', 5)).map(e => e.data)).toEqual(expected)
      // A last page that is exactly full still says no older entries remain.
      const full = await store.logRead('paged', { limit: 23 })
      expect(full.items.map(e => e.data)).toEqual(expected)
      expect(full.cursor).toBeUndefined()
      const first = await store.logRead('paged', { limit: 22 })
      expect((await store.logRead('paged', { before: first.cursor })).items.map(e => e.data)).toEqual([{ i: 0 }])
    })

    it('reads 50 entries by default', async () => {
      const { store } = await adapters.create()
      for (let i = 0; i < 52; i++) await store.logAppend('long', i, { maxLength: 100 })
      const page = await store.logRead('long')
      expect(page.items.map(e => e.data)).toEqual(Array.from({ length: 50 }, (_, i) => 51 - i))
      expect((await store.logRead('long', { before: page.cursor })).items.map(e => e.data)).toEqual([1, 0])
    })

    it('drops the oldest entries beyond maxLength', async () => {
      const { store } = await adapters.create()
      for (let i = 0; i < 8; i++) await store.logAppend('capped', i, { maxLength: 5 })
      expect((await readAll(store, 'capped', 2)).map(e => e.data)).toEqual([7, 6, 5, 4, 3])
      await store.logAppend('capped', 8, { maxLength: 2 })
      expect((await store.logRead('capped')).items.map(e => e.data)).toEqual([8, 7])
      await store.logAppend('capped', 9, { maxLength: 1 })
      expect((await store.logRead('capped')).items.map(e => e.data)).toEqual([9])
    })

    it('holds the cap under concurrent appends, keeping the last ones', async () => {
      const { store } = await adapters.create()
      const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => store.logAppend('busy', i, { maxLength: 5 })))
      expect(new Set(appended.map(e => e.id)).size).toBe(20)
      const kept = (await store.logRead('busy')).items
      expect(kept).toHaveLength(5)
      for (const entry of kept) expect(appended).toContainEqual(entry)
      // Whatever order they committed in, an older append never outlives a newer one.
      const next = await store.logAppend('busy', 'last', { maxLength: 5 })
      expect((await store.logRead('busy')).items).toEqual([next, ...kept.slice(0, 4)])
    })

    it('keeps logs apart from each other and from runs of the same name', async () => {
      const { store } = await adapters.create()
      const run = makeRun('r1')
      await store.createRun(run, [event(run, 'flow.start', 'run event')])
      await store.logAppend('r1', 'log entry', { maxLength: 10 })
      await store.logAppend('other', 'elsewhere', { maxLength: 10 })
      await store.logAppend('r1', 'second', { maxLength: 1 })
      expect((await store.logRead('r1')).items.map(e => e.data)).toEqual(['second'])
      expect((await store.logRead('other')).items.map(e => e.data)).toEqual(['elsewhere'])
      expect((await store.readEvents('r1')).map(e => e.data)).toEqual(['run event'])
      expect(await store.logRead('never-written')).toEqual({ items: [] })
    })

    it('refuses a cap or page size below 1 and a cursor that is no entry id', async () => {
      const { store } = await adapters.create()
      await expect(store.logAppend('l', 1, { maxLength: 0 })).rejects.toThrow(/maxLength/)
      await expect(store.logRead('l', { limit: 0 })).rejects.toThrow(/limit/)
      await expect(store.logRead('l', { before: 'not-an-id' })).rejects.toThrow(/invalid log cursor/)
      expect(await store.logRead('l')).toEqual({ items: [] })
    })

    it('hands out copies of entry data', async () => {
      const { store } = await adapters.create()
      const data = { list: [1] }
      const entry = await store.logAppend<{ list: number[] }>('copies', data, { maxLength: 10 })
      data.list.push(2)
      entry.data.list.push(3)
      const [read] = (await store.logRead<{ list: number[] }>('copies')).items
      read!.data.list.push(4)
      expect((await store.logRead('copies')).items.map(e => e.data)).toEqual([{ list: [1] }])
    })
  })
}
