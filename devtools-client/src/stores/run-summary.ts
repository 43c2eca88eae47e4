/** What a run's row and header say about it, computed the same way in both. */
import type { RunSummary } from '../../../src/runtime/types/monitor'
import type { RunRecord } from '../../../src/runtime/types/run'

/** From creation to the end, or to `now` while it runs. */
export function runDuration(run: Pick<RunRecord, 'createdAt' | 'finishedAt'>, now: number): number {
  return (run.finishedAt ?? now) - run.createdAt
}

/**
 * Completed steps of how many: the steps activated, or while it runs at least the flow's step count (a
 * running run has not activated its later steps yet; an ended one may never activate some branches).
 */
export function stepProgress(run: Pick<RunSummary, 'status' | 'steps'>, flowSteps: number | undefined): { done: number, total: number } {
  const activated = Object.values(run.steps).reduce((sum, count) => sum + (count ?? 0), 0)
  const total = run.status === 'running' ? Math.max(activated, flowSteps ?? 0) : activated
  return { done: run.steps.completed ?? 0, total }
}

/** `3f9c2a1b…`: the first characters of an id, enough to tell runs apart in a list. */
export function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id
}
