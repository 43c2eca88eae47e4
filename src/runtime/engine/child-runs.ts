/** A parent run lists the child runs its steps start (`ctx.flow.startFlow`), so a view can link to them. */
import type { RunTransition } from '../contracts/store'
import type { RunChild, RunRecord } from '../types/run'
import { clone } from './transitions'

/**
 * Adds `child` to the run's `children`. Null when it is listed already: a retried or redelivered step
 * gets back the child run an earlier attempt started (its id is derived), and lists it once.
 */
export function addChild(current: RunRecord, child: RunChild, now: number): RunTransition | null {
  if (current.children?.some(listed => listed.runId === child.runId))
    return null
  const run = clone(current, now)
  run.children = [...(current.children ?? []), child]
  return { run, events: [] }
}
