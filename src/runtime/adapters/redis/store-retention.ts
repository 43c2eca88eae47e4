/**
 * Retention of finished runs on Redis. The run scripts keep each flow's finished runs in two sorted sets
 * by finishedAt (completed; failed, canceled and stalled), so pruning reads the oldest entries of those
 * and never looks at the runs it keeps, nor at the keyspace. The same script takes the runs it removes
 * out of the run counts.
 */
import type { Redis } from 'ioredis'
import type { RunRetention } from '../../contracts/store'
import { type RunRecord, TERMINAL_RUN_STATUSES } from '../../types/run'
import { assertKeep, FINISHED_CLASSES, type FinishedClass, finishedClass, finishTime } from '../shared/finished-runs'
import type { StoreScripts } from './scripts'
import type { StoreKeys } from './store-keys'

/** Runs removed per script call: small enough that one call holds Redis only briefly. */
const PRUNE_BATCH = 500

/** The keys of the flow's two finished-run indexes, in the order the run scripts take them. */
export function finishedIndexes(keys: StoreKeys, flowName: string): string[] {
  return [keys.finishedRuns(flowName, 'completed'), keys.finishedRuns(flowName, 'failed')]
}

/** The run's finished class and its score in that class's index, as the run scripts take them: '' while it runs. */
export function finishedArgs(run: RunRecord): [FinishedClass | '', number] {
  return [finishedClass(run.status) ?? '', finishTime(run) ?? 0]
}

/** Removes the flow's finished runs beyond `keep`, class by class, a bounded batch per script call. */
export async function pruneRuns(scripts: StoreScripts, keys: StoreKeys, prefix: string, flowName: string, keep: RunRetention): Promise<number> {
  assertKeep(keep)
  const now = Date.now()
  const statusIndexes = TERMINAL_RUN_STATUSES.flatMap(status => [keys.statusRuns(flowName, status), keys.allStatusRuns(status)])
  let removed = 0
  for (const finished of FINISHED_CLASSES) {
    const { count, age } = keep[finished]
    if (count === undefined && age === undefined)
      continue
    const cutoff = age === undefined ? '' : now - age
    while (true) {
      const batch = await scripts.pruneRuns(
        [keys.finishedRuns(flowName, finished), keys.flowRuns(flowName), keys.flows, keys.allRuns, keys.runIds, keys.runCounts, ...statusIndexes],
        [prefix, flowName, count ?? '', cutoff, PRUNE_BATCH, ...TERMINAL_RUN_STATUSES],
      ) as number
      removed += batch
      if (batch < PRUNE_BATCH)
        break
    }
  }
  return removed
}

/** The flows that have runs: createRun adds a flow, pruning its last run removes it. */
export async function listFlows(client: Redis, keys: StoreKeys): Promise<string[]> {
  return client.smembers(keys.flows)
}
