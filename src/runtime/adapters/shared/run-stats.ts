/**
 * What one change of a run does to the store's counters (`runStats`). Every backend applies the same delta
 * atomically with the change itself, so the counts never drift from the runs and are never recounted.
 */
import type { RunCounts, RunMinute } from '../../contracts/store'
import { minuteOf } from '../../contracts/store'
import type { RunRecord } from '../../types/run'

export type RunCountKey = keyof RunCounts

/** A change to one flow's count of one status. */
export interface CountChange {
  flow: string
  key: RunCountKey
  by: 1 | -1
}

/** A start or an end within a minute. */
export interface MinuteChange {
  minute: number
  field: Exclude<keyof RunMinute, 'minute'>
}

export interface RunStatsDelta {
  counts: CountChange[]
  minute?: MinuteChange
}

/** Running with a step paused on an await. */
export function isAwaiting(run: RunRecord | null): boolean {
  return run?.status === 'running' && Object.values(run.steps).some(step => step.status === 'awaiting')
}

/**
 * The counter changes from `before` to `after`: `null` before is a creation, `null` after a removal
 * (retention), which takes the run out of the counts but not out of the minutes it was counted in.
 */
export function runStatsDelta(before: RunRecord | null, after: RunRecord | null): RunStatsDelta {
  const counts: CountChange[] = []
  if (before?.status !== after?.status) {
    if (before)
      counts.push({ flow: before.flowName, key: before.status, by: -1 })
    if (after)
      counts.push({ flow: after.flowName, key: after.status, by: 1 })
  }
  const awaitingBefore = isAwaiting(before)
  const awaitingAfter = isAwaiting(after)
  if (awaitingBefore !== awaitingAfter)
    counts.push({ flow: (after ?? before)!.flowName, key: 'awaiting', by: awaitingAfter ? 1 : -1 })
  const delta: RunStatsDelta = { counts }
  if (after && !before)
    delta.minute = { minute: minuteOf(after.updatedAt), field: 'started' }
  else if (after && before && after.status !== before.status && after.status !== 'running')
    delta.minute = { minute: minuteOf(after.updatedAt), field: after.status }
  return delta
}
