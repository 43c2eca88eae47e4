/** Which finished runs a flow's retention removes, for the stores that keep runs in this process. */
import type { KeepRuns, RunRetention } from '../../runtime/contracts/store'
import type { RunRecord } from '../../runtime/types/run'

/**
 * The ids of the runs `keep` removes among a flow's `runs` (oldest created first) at `now`: in each class
 * (completed; failed, canceled and stalled), those beyond the count, newest finished kept (the later
 * created of two finished in the same millisecond), and those finished before `now - age`. Running runs
 * are never among them.
 */
export function prunedRuns(runs: readonly RunRecord[], keep: RunRetention, now: number): string[] {
  const completed: RunRecord[] = []
  const failed: RunRecord[] = []
  // Newest created first, so that the stable sort below breaks ties in favour of the later run.
  for (const run of [...runs].reverse()) {
    if (run.status !== 'running')
      (run.status === 'completed' ? completed : failed).push(run)
  }
  return [...beyond(completed, keep.completed, now), ...beyond(failed, keep.failed, now)]
}

function beyond(runs: RunRecord[], keep: KeepRuns, now: number): string[] {
  runs.sort((a, b) => finishedAt(b) - finishedAt(a))
  return runs
    .filter((run, rank) => (keep.count !== undefined && rank >= keep.count) || (keep.age !== undefined && finishedAt(run) < now - keep.age))
    .map(run => run.id)
}

function finishedAt(run: RunRecord): number {
  return run.finishedAt ?? run.updatedAt
}
