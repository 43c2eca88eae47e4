/**
 * Run state on PostgreSQL: rows of `state` keyed by (scope, key), apart from `kv`, so that a scope (a run
 * id) clears with one range delete of the primary key, and pruning a run takes its state along. Expiry is
 * judged by the database clock, as for `kv`; expired rows are left to the store's periodic sweep.
 */
import type pg from 'pg'
import type { KvSetOptions } from '../../contracts/store'
import { encodeJsonb } from './json'
import { withReconnect } from './retry'
import { expiry } from './store-sql'

const stateSql = {
  /** $1 scope, $2 key. */
  get: (s: string) => `
    SELECT value FROM ${s}.state
    WHERE scope = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > clock_timestamp())`,

  /** $1 scope, $2 key, $3 value, $4 ttl in ms or null. */
  set: (s: string) => `
    INSERT INTO ${s}.state (scope, key, value, expires_at) VALUES ($1, $2, $3::jsonb, ${expiry('$4')})
    ON CONFLICT (scope, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,

  /** $1 scope, $2 key. */
  delete: (s: string) => `DELETE FROM ${s}.state WHERE scope = $1 AND key = $2`,

  /** $1 scope. */
  clear: (s: string) => `DELETE FROM ${s}.state WHERE scope = $1`,
}

/** The live value of the key, or `undefined` if it is absent or expired. */
export async function getState<T>(pool: pg.Pool, schema: string, scope: string, key: string): Promise<T | undefined> {
  const { rows } = await withReconnect(pool, `reading state key "${key}" of "${scope}"`, 'idempotent', () => pool.query(stateSql.get(schema), [scope, key]))
  return rows.length === 0 ? undefined : rows[0].value as T
}

/** An upsert: sending it twice over a lost connection leaves the same row. */
export async function setState(pool: pg.Pool, schema: string, scope: string, key: string, value: unknown, options: KvSetOptions = {}): Promise<void> {
  const encoded = encodeJsonb(value, `state key "${key}" of "${scope}"`)
  await withReconnect(pool, `setting state key "${key}" of "${scope}"`, 'idempotent', () => pool.query(stateSql.set(schema), [scope, key, encoded, options.ttl ?? null]))
}

/** Removes the key; a key that is absent is no error. */
export async function deleteState(pool: pg.Pool, schema: string, scope: string, key: string): Promise<void> {
  await withReconnect(pool, `deleting state key "${key}" of "${scope}"`, 'idempotent', () => pool.query(stateSql.delete(schema), [scope, key]))
}

/** Removes every key of the scope: one range of the primary key. */
export async function clearState(pool: pg.Pool, schema: string, scope: string): Promise<void> {
  await withReconnect(pool, `clearing the state of "${scope}"`, 'idempotent', () => pool.query(stateSql.clear(schema), [scope]))
}
