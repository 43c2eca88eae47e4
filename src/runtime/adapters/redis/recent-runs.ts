/**
 * The records this process committed last, so the next transition of the same run (the next step,
 * usually run here) computes from it without reading the hash first: one round trip per transition
 * instead of two. Never trusted blindly: the commit checks version and updatedAt, and a conflict brings
 * the current record back; a mutation that finds nothing to do in a remembered record reads it afresh.
 */

/** A run hash's fields as a transition reads them. */
export interface RunFields {
  record: string
  updatedAt: string
  version: string
}

/** How many runs are remembered; the oldest goes first. A few MB at most (a record is a few KB). */
const REMEMBERED = 1_000

export class RecentRuns {
  private readonly runs = new Map<string, RunFields>()

  get(runId: string): RunFields | undefined {
    return this.runs.get(runId)
  }

  /** Remembers `fields` for a running run; a finished run (no more transitions, as a rule) is forgotten. */
  set(runId: string, fields: RunFields, finished: boolean): void {
    this.runs.delete(runId)
    if (finished)
      return
    this.runs.set(runId, fields)
    if (this.runs.size > REMEMBERED)
      this.runs.delete(this.runs.keys().next().value!)
  }

  /** Events appended here moved updatedAt to at least `ts`, as the append script does. */
  appended(runId: string, ts: number): void {
    const fields = this.runs.get(runId)
    if (fields && ts > Number(fields.updatedAt))
      fields.updatedAt = String(ts)
  }

  forget(runId: string): void {
    this.runs.delete(runId)
  }
}
