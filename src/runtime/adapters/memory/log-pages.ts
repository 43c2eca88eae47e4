import type { LogEntry, LogPage } from '../../contracts/store'
import { logCursor, logLimit } from '../shared/logs'

/** The id of a log's `sequence`-th entry: zero-padded like event ids, so ids also sort as strings. */
export function logEntryId(sequence: number): string {
  return String(sequence).padStart(12, '0')
}

/** The sequence number the next entry of a log (oldest first) gets; trimmed entries' numbers are never reused. */
export function nextSequence(entries: readonly LogEntry[] | undefined): number {
  const last = entries?.at(-1)
  return last ? Number(last.id) + 1 : 1
}

/**
 * One page of a log, newest first. `before` is an entry id, compared by number, so a cursor whose
 * entry was trimmed meanwhile still finds its place among the entries that remain.
 */
export function readLog(entries: readonly LogEntry[], options: { before?: string, limit?: number }): LogPage {
  const limit = logLimit(options.limit)
  const before = logCursor(options.before, /^\d+$/)
  const end = before === undefined ? entries.length : firstAtOrAfter(entries, Number(before))
  const start = Math.max(0, end - limit)
  const items = entries.slice(start, end).reverse()
  return start > 0 ? { items, cursor: items.at(-1)!.id } : { items }
}

/** Index of the first entry whose sequence is at least `sequence` (entries, log or run events, are in sequence order). */
export function firstAtOrAfter(entries: readonly { id: string }[], sequence: number): number {
  let low = 0
  let high = entries.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (Number(entries[middle]!.id) < sequence)
      low = middle + 1
    else
      high = middle
  }
  return low
}
