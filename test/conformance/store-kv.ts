/** Store conformance: the key-value space with TTL and claims. */
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
  })
}
