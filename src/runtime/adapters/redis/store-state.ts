/**
 * Run state on Redis: one string key per state key, whose TTL is Redis's own, and per scope a sorted set
 * naming those keys (`lua/stateWrite.lua` keeps it), so a scope clears, and a pruned run's state goes,
 * without a SCAN.
 */
import type { Redis } from 'ioredis'
import type { KvSetOptions } from '../../contracts/store'
import { toJson } from './json'
import type { StoreScripts } from './scripts'
import type { StoreKeys } from './store-keys'
import { readJson, ttlMs } from './store-kv'

/** The value of `key` in `scope`, or undefined if absent or expired. */
export async function getState<T>(client: Redis, keys: StoreKeys, scope: string, key: string): Promise<T | undefined> {
  return readJson<T>(client, keys.stateValue(scope, key))
}

/** Sets `key` in `scope`, with Redis's own expiry when a TTL is given. */
export async function setState(scripts: StoreScripts, keys: StoreKeys, scope: string, key: string, value: unknown, options: KvSetOptions = {}) {
  const json = toJson(value, `the value of state key "${key}" of scope "${scope}"`)
  const args = options.ttl === undefined ? [json] : [json, ttlMs(options.ttl)]
  await scripts.stateWrite([keys.stateIndex(scope), keys.stateValue(scope, key)], args)
}

/** Removes `key` from `scope`. */
export async function deleteState(scripts: StoreScripts, keys: StoreKeys, scope: string, key: string) {
  await scripts.stateWrite([keys.stateIndex(scope), keys.stateValue(scope, key)], [])
}

/** Removes every key of `scope`, in one script with its index. */
export async function clearState(scripts: StoreScripts, keys: StoreKeys, scope: string) {
  await scripts.stateClear([keys.stateIndex(scope)], [])
}
