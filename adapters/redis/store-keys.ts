/**
 * Where the store keeps things, under its prefix. Every kind has its own fixed word before the caller's
 * name, so no run id, flow name or state key can land on another kind's key.
 */
import type { RunStatus } from '../../runtime/types/run'

export interface StoreKeys {
  /** Hash: `record` (JSON), `updatedAt`, `version` (for optimistic concurrency), `member` (its index entry). */
  run(runId: string): string
  /** Stream: the run's event log; entry ids are the event ids. */
  events(runId: string): string
  /** Sorted set of the flow's runs by createdAt. */
  flowRuns(flowName: string): string
  /** Sorted set of the flow's runs in one status, by createdAt. */
  statusRuns(flowName: string, status: RunStatus): string
  /** Counter behind the creation order of runs created in the same millisecond. */
  runSequence: string
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
    runSequence: `${prefix}:run-sequence`,
    kv: key => `${prefix}:kv:${key}`,
    kvNamespace: `${prefix}:kv:`,
    log: name => `${prefix}:log:${name}`,
  }
}
