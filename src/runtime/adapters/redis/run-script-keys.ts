/**
 * The keys of the run scripts that create and change runs, in the order each script's header lists them:
 * every index and counter a run is in changes in the same script as the run.
 */
import type { RunRecord } from '../../types/run'
import type { StoreKeys } from './store-keys'
import { finishedIndexes } from './store-retention'

/** `lua/createRun.lua`'s keys. */
export function createRunKeys(keys: StoreKeys, run: RunRecord): string[] {
  return [
    keys.run(run.id), keys.events(run.id), keys.flowRuns(run.flowName), keys.statusRuns(run.flowName, run.status), keys.runSequence, keys.flows,
    ...finishedIndexes(keys, run.flowName), keys.allRuns, keys.allStatusRuns(run.status), keys.runIds, keys.runCounts, keys.runMinutes,
  ]
}

/** `lua/commitRun.lua`'s keys for a transition from `current` to `next`. */
export function commitRunKeys(keys: StoreKeys, current: RunRecord, next: RunRecord): string[] {
  return [
    keys.run(current.id), keys.events(current.id), keys.statusRuns(current.flowName, current.status), keys.statusRuns(current.flowName, next.status),
    ...finishedIndexes(keys, current.flowName), keys.allStatusRuns(current.status), keys.allStatusRuns(next.status), keys.runCounts, keys.runMinutes,
  ]
}
