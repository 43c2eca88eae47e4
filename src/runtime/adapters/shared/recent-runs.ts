/**
 * What this process committed last of each run, so the next transition of the same run (the next step,
 * usually run here) computes from it without reading the run first: one round trip per transition
 * instead of two or more. Never trusted blindly: the store's commit checks that the run is still as
 * remembered and computes again from the current record otherwise, and a mutation that finds nothing to
 * do in a remembered record reads it afresh. The Redis and PostgreSQL stores each keep one, and run
 * their transitions through `updateOptimistically`.
 */

import type { RunMutation, RunTransition } from '../../contracts/store'
import type { RunEvent, RunRecord } from '../../types/run'

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

/** What `updateRun` resolves with. */
export interface Committed { run: RunRecord, events: RunEvent[] }

/** What a store's optimistic commit came to: committed, or computed from a stale state (with the current one, if it has it), or the run is gone. */
export type CommitOutcome<S> = { done: Committed } | { stale: S | undefined } | null

/**
 * The optimistic transition loop of the server stores. The transition is computed from `remembered` (what
 * this process committed last) or else from `read()`, and `commit` writes it only if the run is still in
 * that state; when it is not, it is computed again from the state the commit returned, or a fresh read.
 * A remembered state in which `mutate` finds nothing to do is read afresh before that answer stands.
 */
export async function updateOptimistically<S>(
  remembered: S | undefined,
  read: () => Promise<S | undefined>,
  recordOf: (state: S) => RunRecord | null,
  mutate: RunMutation,
  commit: (state: S, current: RunRecord, transition: RunTransition) => Promise<CommitOutcome<S>>,
): Promise<Committed | null> {
  let state = remembered
  // Whether `state` is known current: read just now, or returned by a commit that found it so.
  let fresh = false
  while (true) {
    if (state === undefined) {
      state = await read()
      fresh = true
    }
    const current = state === undefined ? null : recordOf(state)
    const transition = current && mutate(current)
    if (!transition) {
      if (current && !fresh) {
        state = undefined
        continue
      }
      return null
    }
    const outcome = await commit(state!, current, transition)
    if (!outcome)
      return null
    if ('done' in outcome)
      return outcome.done
    state = outcome.stale
    fresh = state !== undefined
  }
}
