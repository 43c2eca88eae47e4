/** The store's key-value space on Redis: one string key per kv key, its TTL Redis's own. */
import type { Redis } from 'ioredis'
import type { KvSetOptions } from '../../contracts/store'
import { toJson } from './json'

/** The JSON value at `redisKey` (a kv key or a state key), or undefined if absent or expired. */
export async function readJson<T>(client: Redis, redisKey: string): Promise<T | undefined> {
  const value = await client.get(redisKey)
  return value === null ? undefined : JSON.parse(value) as T
}

/** Sets the key; with `onlyIfAbsent`, only if absent (or expired), and says whether it did. */
export async function writeKv(client: Redis, redisKey: string, key: string, value: unknown, options: KvSetOptions, onlyIfAbsent: boolean): Promise<boolean> {
  const json = toJson(value, `the value of key "${key}"`)
  const { ttl } = options
  let reply: string | null
  if (onlyIfAbsent)
    reply = ttl === undefined ? await client.set(redisKey, json, 'NX') : await client.set(redisKey, json, 'PX', ttlMs(ttl), 'NX')
  else
    reply = ttl === undefined ? await client.set(redisKey, json) : await client.set(redisKey, json, 'PX', ttlMs(ttl))
  return reply === 'OK'
}

/** Redis wants a whole, positive number of milliseconds; a TTL is never cut short by rounding. */
export function ttlMs(ttl: number): number {
  return Math.max(1, Math.ceil(ttl))
}
