import type { RunQuery } from '../../contracts/store'
import type { RunPage } from '../../types/run'
import { decodeCursor, encodeCursor } from '../shared/cursor'
import { checkRunQuery } from '../shared/run-query'
import type { RunBook, RunEntry } from './run-book'

/** Where a page ended: the sort key of its last run. */
interface PagePosition {
  createdAt: number
  order: number
}

/**
 * One page of runs, newest first: a walk down the creation index (of all runs, or of the flow) from the
 * cursor or the end of the time range, so its cost grows with the page and how rare matches are, not with
 * the store. The cursor names the last run's position, not an offset, so runs added meanwhile shift nothing.
 */
export function listRuns(book: RunBook, query?: RunQuery): RunPage {
  const { flow, status, idPrefix, from, to, limit, cursor } = checkRunQuery(query)
  const after = cursor === undefined ? undefined : decodeCursor<PagePosition>(cursor, p => Number.isFinite(p.createdAt) && Number.isFinite(p.order))
  const index = flow === undefined ? book.created : book.flowIndex(flow)
  if (!index)
    return { items: [], total: 0 }
  const low = from === undefined ? 0 : index.firstAtOrAfter(from)
  const high = to === undefined ? index.size : index.firstAtOrAfter(to)
  const matches = (entry: RunEntry) => (status === undefined || entry.run.status === status)
    && (idPrefix === undefined || entry.run.id.startsWith(idPrefix))

  // Without an id prefix or a time range the total is a kept count; otherwise the range is counted in the
  // same walk that collects the page, so a rare prefix costs one pass over the range, not two.
  const counted = idPrefix !== undefined || from !== undefined || to !== undefined
  let total = counted ? 0 : status === undefined ? index.size : book.counters.count(flow, status)
  const start = after ? Math.min(high, index.firstAtOrAfter(after.createdAt, after.order)) : high
  const page: RunEntry[] = []
  let more = false
  for (let i = (counted ? high : start) - 1; i >= low && (counted || !more); i--) {
    const entry = index.at(i)
    if (!matches(entry))
      continue
    if (counted)
      total++
    if (i >= start)
      continue
    if (page.length < limit)
      page.push(entry)
    else
      more = true
  }

  const last = page.at(-1)
  return {
    items: page.map(entry => entry.run),
    total,
    cursor: more && last ? encodeCursor({ createdAt: last.run.createdAt, order: last.order }) : undefined,
  }
}
