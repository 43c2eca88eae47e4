/**
 * The store's named logs on Redis: one stream per log, whose entry ids are the log's ids. Redis keeps
 * the order (ids only grow) and the cap (XADD trims in the same command), so an append is one command.
 */
import type { Redis } from 'ioredis'
import type { LogEntry, LogPage } from '../../contracts/store'
import { assertMaxLength, logCursor, logLimit } from '../shared/logs'
import { toJson } from './json'

/** A stream entry id: two 64-bit numbers, which 19 digits each never exceed (Redis refuses larger ones). */
export const STREAM_ID = /^\d{1,19}-\d{1,19}$/

export async function appendLog<T>(client: Redis, key: string, log: string, data: T, maxLength: number): Promise<LogEntry<T>> {
  assertMaxLength(maxLength)
  const json = toJson(data, `an entry of log "${log}"`)
  // Exact MAXLEN rather than `~`: the contract promises the cap, and `~` trims only whole nodes (~100 entries).
  const id = (await client.xadd(key, 'MAXLEN', maxLength, '*', 'data', json))!
  // Parsed from what was stored, so the caller gets a copy, as a read would give.
  return { id, ts: timeOf(id), data: JSON.parse(json) as T }
}

export async function readLog<T>(client: Redis, key: string, options: { before?: string, limit?: number }): Promise<LogPage<T>> {
  const limit = logLimit(options.limit)
  const before = logCursor(options.before, STREAM_ID)
  // Redis refuses the empty range below the smallest id rather than reading it as empty.
  if (before !== undefined && /^0+-0+$/.test(before))
    return { items: [] }
  // One more than asked tells whether an older entry remains.
  const rows = await client.xrevrange(key, before === undefined ? '+' : `(${before}`, '-', 'COUNT', limit + 1)
  const items = rows.slice(0, limit).map(([id, fields]) => ({
    id,
    ts: timeOf(id),
    data: JSON.parse(fields[fields.indexOf('data') + 1]!) as T,
  }))
  return rows.length > limit ? { items, cursor: items.at(-1)!.id } : { items }
}

/** A stream id starts with the milliseconds Redis stamped it with. */
function timeOf(id: string): number {
  return Number(id.slice(0, id.indexOf('-')))
}
