/**
 * The key-value space on PostgreSQL: rows of `kv` (statements in store-sql.ts). Expiry is judged by the
 * database clock, the one every instance shares; expired rows are left to the store's periodic sweep.
 */
import type pg from 'pg'
import type { KvEntry, KvSetOptions } from '../../contracts/store'
import { encodeJsonb } from './json'
import { queryOnce, withReconnect } from './retry'
import { likePrefix, storeSql } from './store-sql'

/** The live value of the key, or `undefined` if it is absent or expired. */
export async function getKey<T>(pool: pg.Pool, schema: string, key: string): Promise<T | undefined> {
  const { rows } = await withReconnect(pool, `reading key "${key}"`, 'idempotent', () => pool.query(storeSql.kvGet(schema), [key]))
  return rows.length === 0 ? undefined : rows[0].value as T
}

/** An upsert: sending it twice over a lost connection leaves the same row. */
export async function setKey(pool: pg.Pool, schema: string, key: string, value: unknown, options: KvSetOptions = {}): Promise<void> {
  const encoded = encodeJsonb(value, `key "${key}"`)
  await withReconnect(pool, `setting key "${key}"`, 'idempotent', () => pool.query(storeSql.kvSet(schema), [key, encoded, options.ttl ?? null]))
}

export async function deleteKey(pool: pg.Pool, schema: string, key: string): Promise<void> {
  await withReconnect(pool, `deleting key "${key}"`, 'idempotent', () => pool.query(storeSql.kvDelete(schema), [key]))
}

/**
 * Takes the key if it is absent or expired. Re-sent only when it surely never reached the server: a claim
 * lost in flight may have been taken, and re-sending it would report it refused to its own holder.
 */
export async function claimKey(pool: pg.Pool, schema: string, key: string, value: unknown, options: KvSetOptions = {}): Promise<boolean> {
  const encoded = encodeJsonb(value, `key "${key}"`)
  const { rows } = await withReconnect(pool, `claiming key "${key}"`, 'once', () => queryOnce(pool, storeSql.kvClaim(schema), [key, encoded, options.ttl ?? null]))
  return rows.length === 1
}

/** Every live key starting with `prefix`, in byte order: a range scan of the "C"-collated primary key. */
export async function keysWithPrefix<T>(pool: pg.Pool, schema: string, prefix: string): Promise<KvEntry<T>[]> {
  const pattern = likePrefix(prefix)
  const { rows } = await withReconnect(pool, `reading keys starting with "${prefix}"`, 'idempotent', () => pool.query(storeSql.kvEntries(schema), [pattern]))
  return rows.map(row => ({ key: row.key, value: row.value as T }))
}
