/** One page of runs on PostgreSQL, across flows or of one, newest first, with the total of all pages. */
import type pg from 'pg'
import type { RunQuery } from '../../contracts/store'
import type { RunPage, RunRecord } from '../../types/run'
import { encodeCursor } from '../shared/cursor'
import { checkRunQuery } from '../shared/run-query'
import { countedRuns } from './run-counters'
import { withReconnect } from './retry'
import { decodeRunCursor, type RunCursor } from './store-rows'
import { fromMs, likePrefix } from './store-sql'

export async function listRuns(pool: pg.Pool, schema: string, query?: RunQuery): Promise<RunPage> {
  const checked = checkRunQuery(query)
  const after = checked.cursor === undefined ? undefined : decodeRunCursor(checked.cursor)
  const { text, values } = pageStatement(schema, checked, after)
  const { rows } = await withReconnect(pool, 'listing runs', 'idempotent', () => pool.query(text, values))
  const found = rows.filter(row => row.record !== null)
  const items = found.slice(0, checked.limit)
  const last = items.at(-1)
  return {
    items: items.map(row => row.record as RunRecord),
    total: rows[0].total,
    ...found.length > checked.limit && last ? { cursor: encodeCursor({ createdAt: last.record.createdAt, position: last.position }) } : {},
  }
}

/**
 * The statement for one page: only the filters given, so the planner sees each query as the index it
 * fits (by flow, status, both, id prefix or creation time). The total comes from the counters when only
 * flow and status filter (a count of 100,000 rows is too slow for a page); else from an index count. Both
 * are in one statement, so they see the same runs. One more row than the limit tells whether a page
 * follows; an empty page is one row with a null record.
 */
function pageStatement(s: string, query: RunQuery & { limit: number }, after?: RunCursor) {
  const values: unknown[] = []
  const param = (value: unknown) => `$${values.push(value)}`
  const flow = query.flow === undefined ? null : param(query.flow)
  const status = query.status === undefined ? null : param(query.status)
  const match = [flow && `flow_name = ${flow}`, status && `status = ${status}`]
  if (query.idPrefix !== undefined)
    match.push(`id LIKE ${param(likePrefix(query.idPrefix))} ESCAPE '\\'`)
  if (query.from !== undefined)
    match.push(`created_at >= ${fromMs(param(query.from))}`)
  if (query.to !== undefined)
    match.push(`created_at < ${fromMs(param(query.to))}`)
  const byCounters = query.idPrefix === undefined && query.from === undefined && query.to === undefined
  const total = byCounters ? countedRuns(s, flow, status) : `SELECT count(*)::int FROM ${s}.runs WHERE ${all(match)}`
  const page = after ? [...match, `(created_at, position) < (${fromMs(param(after.createdAt))}, ${param(after.position)}::bigint)`] : match
  const text = `
    SELECT total.n AS total, page.record, page.position
    FROM (${total}) AS total(n)
    LEFT JOIN LATERAL (
      SELECT record, position FROM ${s}.runs WHERE ${all(page)}
      ORDER BY created_at DESC, position DESC
      LIMIT ${param(query.limit + 1)}
    ) page ON true`
  return { text, values }
}

function all(conditions: Array<string | null>): string {
  return conditions.filter(Boolean).join(' AND ') || 'true'
}
