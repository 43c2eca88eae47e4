/** The store's named logs on PostgreSQL: rows of `logs`, numbered by `seq`, whose ids are that number. */
import type pg from 'pg'
import type { LogEntry, LogPage } from '../../contracts/store'
import { assertMaxLength, logCursor, logLimit } from '../shared/logs'
import { encodeJsonb } from './json'
import { inTransaction } from './pool'
import { withReconnect } from './retry'
import { eventId } from './store-rows'
import { storeSql } from './store-sql'

export async function appendLog<T>(pool: pg.Pool, schema: string, log: string, data: T, maxLength: number): Promise<LogEntry<T>> {
  assertMaxLength(maxLength)
  const encoded = encodeJsonb(data, `an entry of log "${log}"`)
  // Retried like updateRun, not like the single-statement inserts: a transaction the lost connection cut
  // before COMMIT was rolled back, and one whose COMMIT was lost is never retried, so no entry lands twice.
  const { rows } = await withReconnect(pool, `appending to log "${log}"`, 'idempotent', () => inTransaction(pool, async (client) => {
    // Appends to one log take turns, each seeing every entry committed before it: the cap holds exactly,
    // and seqs commit in order, so a reader paging down by seq never passes one that commits later.
    await client.query(storeSql.lockLog, [`nvent:log:${schema}:${log}`])
    return client.query(storeSql.appendLog(schema), [log, encoded, maxLength])
  }))
  return { id: eventId(Number(rows[0].seq)), ts: rows[0].ts, data: JSON.parse(encoded) as T }
}

export async function readLog<T>(pool: pg.Pool, schema: string, log: string, options: { before?: string, limit?: number }): Promise<LogPage<T>> {
  const limit = logLimit(options.limit)
  const before = logCursor(options.before, /^\d{1,18}$/)
  // One more than asked tells whether an older entry remains.
  const { rows } = await withReconnect(pool, `reading log "${log}"`, 'idempotent', () => pool.query(storeSql.readLog(schema), [log, before ?? null, limit + 1]))
  const items: LogEntry<T>[] = rows.slice(0, limit).map(row => ({ id: eventId(Number(row.seq)), ts: row.ts, data: row.data as T }))
  return rows.length > limit ? { items, cursor: items.at(-1)!.id } : { items }
}
