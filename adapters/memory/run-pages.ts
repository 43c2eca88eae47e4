import type { RunQuery } from '../../runtime/contracts/store'
import type { RunPage } from '../../runtime/types/run'
import type { RunEntry } from './run-book'
import { decodeCursor, encodeCursor } from '../shared/cursor'

/** Where a page ended: the sort key of its last run. */
interface PagePosition {
  createdAt: number
  order: number
}

/** One page of a flow's runs, newest first; the cursor names the last run's position, not an offset. */
export function listRuns(runs: readonly RunEntry[], query: RunQuery): RunPage {
  const limit = query.limit ?? 50
  const matches = runs.filter(entry => query.status === undefined || entry.run.status === query.status)
  matches.sort((a, b) => b.run.createdAt - a.run.createdAt || b.order - a.order)
  const after = query.cursor === undefined ? undefined : decodeCursor<PagePosition>(query.cursor, p => typeof p.createdAt === 'number' && typeof p.order === 'number')
  const start = after ? matches.findIndex(entry => isOlder(entry, after)) : 0
  const page = start === -1 ? [] : matches.slice(start, start + limit)
  const last = page.at(-1)
  const more = start !== -1 && start + limit < matches.length
  return {
    items: page.map(entry => entry.run),
    total: matches.length,
    cursor: more && last ? encodeCursor({ createdAt: last.run.createdAt, order: last.order }) : undefined,
  }
}

function isOlder(entry: RunEntry, position: PagePosition): boolean {
  return entry.run.createdAt < position.createdAt
    || (entry.run.createdAt === position.createdAt && entry.order < position.order)
}
