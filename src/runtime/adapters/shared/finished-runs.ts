/**
 * What every store's retention agrees on: which finished runs a class holds, when a run counts as
 * finished, and which limits `pruneRuns` takes. One rule for all backends, so they prune the same runs.
 */
import type { KeepRuns, RunRetention } from '../../contracts/store'
import type { RunRecord, RunStatus } from '../../types/run'
import { TERMINAL_RUN_STATUSES } from '../../types/run'

/** The classes retention keeps apart: completed runs, and the others that ended (failed, canceled, stalled). */
export type FinishedClass = keyof RunRetention

export const FINISHED_CLASSES: readonly FinishedClass[] = ['completed', 'failed']

/** The class of a run in `status`; undefined while it runs. */
export function finishedClass(status: RunStatus): FinishedClass | undefined {
  if (!TERMINAL_RUN_STATUSES.includes(status))
    return undefined
  return status === 'completed' ? 'completed' : 'failed'
}

/** When a finished run finished; a record without the time counts from its last change. Undefined while it runs. */
export function finishTime(run: RunRecord): number | undefined {
  return finishedClass(run.status) ? run.finishedAt ?? run.updatedAt : undefined
}

/** Refuses limits no count or age can mean (a negative count, say), naming the class and the value. */
export function assertKeep(keep: RunRetention): void {
  for (const finished of FINISHED_CLASSES) {
    const { count, age }: KeepRuns = keep[finished]
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 0))
      throw new RangeError(`nvent: pruneRuns keep.${finished}.count must be a non-negative integer, got ${count}`)
    if (age !== undefined && (!Number.isFinite(age) || age < 0))
      throw new RangeError(`nvent: pruneRuns keep.${finished}.age must be a non-negative number of milliseconds, got ${age}`)
  }
}
