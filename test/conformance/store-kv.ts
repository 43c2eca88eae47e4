/** Store conformance: the key-value space with TTL, claims and listing by prefix. */
import { describe, expect, it } from 'vitest'
import { useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

export function describeStoreKv(backend: Backend) {
  describe(`${backend.name} store: kv`, () => {
    const adapters = useAdapters(backend)

    it('returns values with the types they were set with', async () => {
      const { store } = await adapters.create()
      const values: Record<string, unknown> = { num: 4.5, str: 'text', bool: false, nil: null, list: [1, 'a', { b: [true] }], obj: { deep: { n: 0 } } }
      for (const [key, value] of Object.entries(values)) await store.kvSet(key, value)
      for (const [key, value] of Object.entries(values)) expect(await store.kvGet(key)).toEqual(value)
      expect(await store.kvGet('absent')).toBeUndefined()
    })

    it('overwrites and deletes keys', async () => {
      const { store } = await adapters.create()
      await store.kvSet('k', 1)
      await store.kvSet('k', { v: 2 })
      expect(await store.kvGet('k')).toEqual({ v: 2 })
      await store.kvDelete('k')
      expect(await store.kvGet('k')).toBeUndefined()
      await store.kvDelete('never-set')
    })

    it('treats a key as absent once its TTL has passed', async () => {
      const { store } = await adapters.create()
      await store.kvSet('short', 'gone soon', { ttl: 30 })
      await store.kvSet('long', 'stays', { ttl: 60_000 })
      expect(await store.kvGet('short')).toBe('gone soon')
      await waitFor(async () => (await store.kvGet('short')) === undefined, 'the short key to expire')
      expect(await store.kvGet('long')).toBe('stays')
    })

    it('lets exactly one of many concurrent claims win', async () => {
      const { store } = await adapters.create()
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => store.kvClaim('cron:tick', i, { ttl: 60_000 })))
      expect(wins.filter(Boolean)).toHaveLength(1)
      expect(await store.kvGet('cron:tick')).toBe(wins.indexOf(true))
      expect(await store.kvClaim('cron:tick', 'late')).toBe(false)
    })

    it('lets a claim succeed again once the previous one expired', async () => {
      const { store } = await adapters.create()
      expect(await store.kvClaim('lease', 'first', { ttl: 30 })).toBe(true)
      expect(await store.kvClaim('lease', 'second', { ttl: 30 })).toBe(false)
      await waitFor(async () => store.kvClaim('lease', 'second', { ttl: 60_000 }), 'the claim to be free again')
      expect(await store.kvGet('lease')).toBe('second')
    })

    it('lists the entries under a prefix, ordered by key, with their values', async () => {
      const { store } = await adapters.create()
      const values: Record<string, unknown> = { 'trig:b': { n: [1, { deep: true }] }, 'trig:a': 'text', 'trig:a:1': null, 'trig:B': 4.5, 'trig:~': false }
      for (const [key, value] of Object.entries(values)) await store.kvSet(key, value)
      await store.kvSet('tri', 'shorter than the prefix')
      await store.kvSet('other:trig:a', 'prefix elsewhere in the key')
      const entries = await store.kvEntries('trig:')
      expect(entries.map(e => e.key)).toEqual(['trig:B', 'trig:a', 'trig:a:1', 'trig:b', 'trig:~'])
      for (const { key, value } of entries) expect(value).toEqual(values[key])
      expect(await store.kvEntries('none:')).toEqual([])
      expect((await store.kvEntries('')).length).toBe(7)
    })

    it('leaves expired and deleted keys out of the entries', async () => {
      const { store } = await adapters.create()
      await store.kvSet('p:short', 1, { ttl: 30 })
      await store.kvSet('p:long', 2, { ttl: 60_000 })
      await store.kvSet('p:deleted', 3)
      await store.kvDelete('p:deleted')
      await waitFor(async () => (await store.kvGet('p:short')) === undefined, 'the short key to expire')
      expect(await store.kvEntries('p:')).toEqual([{ key: 'p:long', value: 2 }])
    })

    it('matches a prefix literally, wildcards of LIKE and glob included', async () => {
      const { store } = await adapters.create()
      const keys = ['a%b:1', 'a%b:2', 'axb:1', 'a_c:1', 'abc:1', 'a*d:1', 'aXd:1', 'a?e', 'a[f]', 'af', 'a\\g', 'ag']
      for (const key of keys) await store.kvSet(key, key)
      const keysOf = async (prefix: string) => (await store.kvEntries(prefix)).map(e => e.key)
      expect(await keysOf('a%b')).toEqual(['a%b:1', 'a%b:2'])
      expect(await keysOf('a_c')).toEqual(['a_c:1'])
      expect(await keysOf('a*d')).toEqual(['a*d:1'])
      expect(await keysOf('a?')).toEqual(['a?e'])
      expect(await keysOf('a[f]')).toEqual(['a[f]'])
      expect(await keysOf('a\\')).toEqual(['a\\g'])
      for (const { key, value } of await store.kvEntries('a')) expect(value).toBe(key)
    })

    it('hands out copies of listed values', async () => {
      const { store } = await adapters.create()
      const value = { list: [1] }
      await store.kvSet('c:1', value)
      value.list.push(2)
      const [entry] = await store.kvEntries<{ list: number[] }>('c:')
      entry!.value.list.push(3)
      expect(await store.kvEntries('c:')).toEqual([{ key: 'c:1', value: { list: [1] } }])
    })
  })
}
