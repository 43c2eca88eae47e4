/**
 * What this process committed last of each run, so the next transition of the same run (the next step,
 * usually run here) computes from it without reading the run first: one round trip per transition
 * instead of two or more. Never trusted blindly: the store's commit checks that the run is still as
 * remembered and computes again from the current record otherwise, and a mutation that finds nothing to
 * do in a remembered record reads it afresh. The Redis and PostgreSQL stores each keep one.
 */

/** How many runs are remembered; the oldest goes first. A few MB at most (a record is a few KB). */
const REMEMBERED = 1_000

export class RecentRuns<T> {
  private readonly runs = new Map<string, T>()

  get(runId: string): T | undefined {
    return this.runs.get(runId)
  }

  /** Remembers what was committed of a running run; a finished run (no more transitions, as a rule) is forgotten. */
  set(runId: string, committed: T, finished: boolean): void {
    this.runs.delete(runId)
    if (finished)
      return
    this.runs.set(runId, committed)
    if (this.runs.size > REMEMBERED)
      this.runs.delete(this.runs.keys().next().value!)
  }

  /** Applies a write that changed the run without a transition (appended events), if it is remembered. */
  update(runId: string, change: (committed: T) => void): void {
    const committed = this.runs.get(runId)
    if (committed !== undefined)
      change(committed)
  }

  forget(runId: string): void {
    this.runs.delete(runId)
  }
}
