import type { RunQuery } from '../../runtime/contracts/store'
import type { RunPage } from '../../runtime/types/run'
import type { RunEntry } from './store-book'

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
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
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

function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

function decodeCursor(cursor: string): PagePosition {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as PagePosition
    if (typeof position.createdAt === 'number' && typeof position.order === 'number')
      return position
  }
  catch {
    // Reported below with the cursor itself.
  }
  throw new Error(`nvent: invalid runs cursor "${cursor}"`)
}
