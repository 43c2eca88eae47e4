/** One page of a flow's runs on PostgreSQL, newest first, with the total of all pages. */
import type pg from 'pg'
import type { RunQuery } from '../../runtime/contracts/store'
import type { RunPage, RunRecord } from '../../runtime/types/run'
import { encodeCursor } from '../shared/cursor'
import { withReconnect } from './retry'
import { decodeRunCursor } from './store-rows'
import { storeSql } from './store-sql'

export async function listRuns(pool: pg.Pool, schema: string, flowName: string, query: RunQuery = {}): Promise<RunPage> {
  const limit = query.limit ?? 50
  const after = query.cursor === undefined ? undefined : decodeRunCursor(query.cursor)
  const status = query.status ?? null
  // One more than asked tells whether another page follows.
  const { rows } = await withReconnect(pool, `listing runs of flow "${flowName}"`, 'idempotent', () =>
    pool.query(storeSql.pageRuns(schema), [flowName, status, after?.createdAt ?? null, after?.position ?? null, limit + 1]))
  const found = rows.filter(row => row.record !== null)
  const items = found.slice(0, limit)
  const last = items.at(-1)
  return {
    items: items.map(row => row.record as RunRecord),
    total: rows[0].total,
    ...found.length > limit && last ? { cursor: encodeCursor({ createdAt: last.record.createdAt, position: last.position }) } : {},
  }
}
