import type { Redis } from 'ioredis'
import type { KvEntry } from '../../contracts/store'

/** Keys asked for per SCAN step and values per MGET: bounded replies, few round trips. */
const BATCH = 1000

/**
 * The live kv keys under `namespace` that start with `prefix`, with their values, ordered by key. Redis
 * has no prefix index, so the SCAN walks the whole keyspace: this costs in proportion to every key in
 * the database, not to the matches.
 */
export async function kvEntries<T>(client: Redis, namespace: string, prefix: string): Promise<KvEntry<T>[]> {
  const pattern = `${escapeGlob(namespace + prefix)}*`
  // SCAN may return a key more than once (when the keyspace is rehashed), so the keys are collected as a set.
  const found = new Set<string>()
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', BATCH)
    for (const key of keys) found.add(key)
    cursor = next
  } while (cursor !== '0')
  // Every key shares the namespace, so sorting the full keys sorts the caller's keys.
  const keys = [...found].sort()
  const entries: KvEntry<T>[] = []
  for (let i = 0; i < keys.length; i += BATCH) {
    const chunk = keys.slice(i, i + BATCH)
    const values = await client.mget(chunk)
    for (const [j, key] of chunk.entries()) {
      const value = values[j]
      // Null: the key expired or was deleted after the SCAN saw it.
      if (value !== null && value !== undefined)
        entries.push({ key: key.slice(namespace.length), value: JSON.parse(value) as T })
    }
  }
  return entries
}

/** MATCH takes a glob: the caller's prefix (and the store's) must match itself only. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
