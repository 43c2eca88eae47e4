/**
 * The counters behind `runStats`, changed only by the deltas of the runs' own changes (`runStatsDelta`),
 * inside the same op, so a journal replay rebuilds them with the runs.
 */
import { RUN_MINUTES_KEPT, type RunMinute, type RunStats } from '../../contracts/store'
import type { RunRecord, RunStatus } from '../../types/run'
import { emptyMinute, minuteOf } from '../../contracts/store'
import { type MinuteChange, type RunCountKey, runStatsDelta, type RunStatsDelta } from '../shared/run-stats'

export class RunCounters {
  /** Per flow, each non-zero count; a flow with none is absent. */
  private readonly flows = new Map<string, Map<RunCountKey, number>>()
  private minutes = new Map<number, RunMinute>()
  /** The newest minute written: the history is trimmed relative to it, not to the clock, so replays agree. */
  private newest = Number.NEGATIVE_INFINITY

  apply(delta: RunStatsDelta) {
    for (const { flow, key, by } of delta.counts) {
      const counts = this.flows.get(flow) ?? new Map<RunCountKey, number>()
      this.flows.set(flow, counts)
      const count = (counts.get(key) ?? 0) + by
      if (count !== 0)
        counts.set(key, count)
      else if (counts.delete(key) && counts.size === 0)
        this.flows.delete(flow)
    }
    if (delta.minute)
      this.addToMinute(delta.minute.minute, delta.minute.field)
  }

  /** Runs in `status`, of one flow or of all. */
  count(flow: string | undefined, status: RunStatus): number {
    if (flow !== undefined)
      return this.flows.get(flow)?.get(status) ?? 0
    let total = 0
    for (const counts of this.flows.values()) total += counts.get(status) ?? 0
    return total
  }

  stats(since: number): RunStats {
    const flows = Object.fromEntries([...this.flows].map(([flow, counts]) => [flow, Object.fromEntries(counts)]))
    const from = minuteOf(since)
    const minutes = [...this.minutes.values()].filter(m => m.minute >= from).sort((a, b) => a.minute - b.minute)
    return { flows, minutes }
  }

  snapshot(): RunMinute[] {
    return [...this.minutes.values()]
  }

  /**
   * Counts `runs` once (counts follow from the runs; a snapshot need not hold them) and takes the minutes
   * history as saved: absent in snapshots written before it existed, so it may start empty.
   */
  restore(runs: Iterable<RunRecord>, minutes: RunMinute[] = []) {
    this.flows.clear()
    for (const run of runs) this.apply({ counts: runStatsDelta(null, run).counts })
    this.minutes = new Map(minutes.map(m => [m.minute, m]))
    this.newest = Math.max(Number.NEGATIVE_INFINITY, ...this.minutes.keys())
  }

  private addToMinute(minute: number, field: MinuteChange['field']) {
    if (minute < this.newest - RUN_MINUTES_KEPT)
      return
    if (minute > this.newest) {
      this.newest = minute
      for (const kept of this.minutes.keys()) {
        if (kept < minute - RUN_MINUTES_KEPT)
          this.minutes.delete(kept)
      }
    }
    const figures = this.minutes.get(minute) ?? emptyMinute(minute)
    this.minutes.set(minute, figures)
    figures[field]++
  }
}
