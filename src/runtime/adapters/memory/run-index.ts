/**
 * Runs sorted by creation (`createdAt`, then creation order): the order `listRuns` pages in, read from the
 * newest end. Time ranges and cursors are found by binary search, so a page never sorts or copies the runs.
 */
import type { RunEntry } from './run-book'

export class RunIndex {
  private entries: RunEntry[] = []

  get size(): number {
    return this.entries.length
  }

  at(index: number): RunEntry {
    return this.entries[index]!
  }

  /** Oldest first; the array itself, for callers that only read it. */
  all(): readonly RunEntry[] {
    return this.entries
  }

  /** Files the entry in its place. A new run is usually the newest, so that case costs no search or shift. */
  add(entry: RunEntry) {
    const last = this.entries.at(-1)
    if (!last || compare(last, entry.run.createdAt, entry.order) < 0)
      this.entries.push(entry)
    else
      this.entries.splice(this.firstAtOrAfter(entry.run.createdAt, entry.order), 0, entry)
  }

  remove(entry: RunEntry) {
    const index = this.firstAtOrAfter(entry.run.createdAt, entry.order)
    if (this.entries[index] === entry)
      this.entries.splice(index, 1)
  }

  /** Keeps the entries `keep` accepts: one pass, however many go (retention drops runs in batches). */
  retain(keep: (entry: RunEntry) => boolean) {
    this.entries = this.entries.filter(keep)
  }

  /** Replaces the content with `entries` in any order (a restore sorts once instead of inserting each). */
  reset(entries: RunEntry[]) {
    this.entries = entries.sort((a, b) => a.run.createdAt - b.run.createdAt || a.order - b.order)
  }

  /** The index of the first entry created at or after `createdAt` (and, at that time, not before `order`). */
  firstAtOrAfter(createdAt: number, order = Number.NEGATIVE_INFINITY): number {
    let low = 0
    let high = this.entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (compare(this.entries[middle]!, createdAt, order) < 0)
        low = middle + 1
      else
        high = middle
    }
    return low
  }
}

function compare(entry: RunEntry, createdAt: number, order: number): number {
  return entry.run.createdAt - createdAt || entry.order - order
}
