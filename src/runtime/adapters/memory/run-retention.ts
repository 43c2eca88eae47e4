/** Which finished runs a flow's retention removes, for the stores that keep runs in this process. */
import type { KeepRuns, RunRetention } from '../../contracts/store'
import type { RunRecord } from '../../types/run'
import { assertKeep, FINISHED_CLASSES, type FinishedClass, finishedClass, finishTime } from '../shared/finished-runs'

/**
 * The ids of the runs `keep` removes among a flow's `runs` (oldest created first) at `now`: in each class
 * (completed; failed, canceled and stalled), those beyond the count, newest finished kept (the later
 * created of two finished in the same millisecond), and those finished before `now - age`. Running runs
 * are never among them.
 */
export function prunedRuns(runs: readonly RunRecord[], keep: RunRetention, now: number): string[] {
  assertKeep(keep)
  const byClass: Record<FinishedClass, RunRecord[]> = { completed: [], failed: [] }
  // Newest created first, so that the stable sort below breaks ties in favour of the later run.
  for (const run of [...runs].reverse()) {
    const finished = finishedClass(run.status)
    if (finished)
      byClass[finished].push(run)
  }
  return FINISHED_CLASSES.flatMap(finished => beyond(byClass[finished], keep[finished], now))
}

function beyond(runs: RunRecord[], keep: KeepRuns, now: number): string[] {
  runs.sort((a, b) => finishTime(b)! - finishTime(a)!)
  return runs
    .filter((run, rank) => (keep.count !== undefined && rank >= keep.count) || (keep.age !== undefined && finishTime(run)! < now - keep.age))
    .map(run => run.id)
}
