/**
 * Where the store keeps things, under its prefix. Every kind has its own fixed word before the caller's
 * name, so no run id, flow name or state key can land on another kind's key.
 *
 * `lua/pruneRuns.lua` builds the `run`, `events` and `stateIndex` keys of the runs it removes from the
 * prefix itself (it finds those runs as it goes), and `lua/rebuildIndexes.lua` the `run` and `statusRuns` keys
 * of every run and flow: change them there too.
 */
import type { RunStatus } from '../../types/run'
import type { FinishedClass } from '../shared/finished-runs'

export interface StoreKeys {
  /** Hash: `record` (JSON), `updatedAt`, `version` (for optimistic concurrency), `member` (its index entry). */
  run(runId: string): string
  /** Stream: the run's event log; entry ids are the event ids. */
  events(runId: string): string
  /** Sorted set of the flow's runs by createdAt. */
  flowRuns(flowName: string): string
  /** Sorted set of the flow's runs in one status, by createdAt. */
  statusRuns(flowName: string, status: RunStatus): string
  /** Sorted set of every flow's runs by createdAt (members as in `flowRuns`). */
  allRuns: string
  /** Sorted set of every flow's runs in one status, by createdAt. */
  allStatusRuns(status: RunStatus): string
  /** Sorted set of every run, all scored 0 so it sorts by member `<runId>:<sequence>`: id-prefix lookups. */
  runIds: string
  /** Hash `<flow>\0<status or 'awaiting'>` → runs counted there; a count that reaches 0 is deleted. */
  runCounts: string
  /**
   * Sorted set of the minutes (ms) that have starts or ends, so they are found without guessing. Each
   * minute's figures (`RunMinute` fields) are a hash at `<this key>:<minute>`, which the scripts build,
   * expiring some time after `RUN_MINUTES_KEPT`.
   */
  runMinutes: string
  /** String: the layout version of the indexes and counters above, set once they are built. */
  indexVersion: string
  /** Sorted set of the flow's finished runs of one class, by finishedAt: what `pruneRuns` removes from. */
  finishedRuns(flowName: string, finished: FinishedClass): string
  /** Set of the names of the flows that have runs. */
  flows: string
  /** Counter behind the creation order of runs created in the same millisecond. */
  runSequence: string
  /** Sorted set of the Redis keys of a scope's state, by when each expires (`+inf`: never). */
  stateIndex(scope: string): string
  /** String: one key of a scope's state. */
  stateValue(scope: string, key: string): string
  kv(key: string): string
  /** What every kv key starts with: `kv(key)` is this followed by `key`. */
  kvNamespace: string
  /** Stream: a named log (not a run's), under its own word so it cannot meet a run's event stream. */
  log(name: string): string
}

export function storeKeys(prefix: string): StoreKeys {
  return {
    run: runId => `${prefix}:run:${runId}`,
    events: runId => `${prefix}:events:${runId}`,
    flowRuns: flowName => `${prefix}:flow-runs:${flowName}`,
    statusRuns: (flowName, status) => `${prefix}:status-runs:${status}:${flowName}`,
    allRuns: `${prefix}:all-runs`,
    allStatusRuns: status => `${prefix}:all-status-runs:${status}`,
    runIds: `${prefix}:run-ids`,
    runCounts: `${prefix}:run-counts`,
    runMinutes: `${prefix}:run-minutes`,
    indexVersion: `${prefix}:index-version`,
    finishedRuns: (flowName, finished) => `${prefix}:finished-runs:${finished}:${flowName}`,
    flows: `${prefix}:flows`,
    runSequence: `${prefix}:run-sequence`,
    stateIndex: scope => `${prefix}:state-keys:${scope}`,
    // The scope's length first: scope `a:b` with key `c` and scope `a` with key `b:c` stay apart.
    stateValue: (scope, key) => `${prefix}:state:${scope.length}:${scope}:${key}`,
    kv: key => `${prefix}:kv:${key}`,
    kvNamespace: `${prefix}:kv:`,
    log: name => `${prefix}:log:${name}`,
  }
}
