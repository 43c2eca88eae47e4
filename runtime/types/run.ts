/** Runs, steps and the events of a run's log. */

export type RunStatus = 'running' | 'completed' | 'failed' | 'canceled' | 'stalled'

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'canceled', 'stalled']

/**
 * `queued`: activated, its job enqueued. `running`: an attempt is executing. `retrying`: an attempt
 * failed and the queue will try again. The rest are final.
 */
export type StepStatus = 'queued' | 'running' | 'retrying' | 'completed' | 'failed' | 'canceled'

export interface StepRecord {
  status: StepStatus
  /** The attempt running or last run, from 1. 0 while queued. */
  attempt: number
  queuedAt: number
  startedAt?: number
  finishedAt?: number
  error?: string
  output?: unknown
  /** Steps this step's completion activated (re-enqueued if the completion is delivered again). */
  activated?: string[]
}

export interface RunRecord {
  id: string
  flowName: string
  status: RunStatus
  input: unknown
  /** The run whose step started this one, for nested flows. */
  parentRunId?: string
  /** Activated steps by name; a step absent here has not been activated. */
  steps: Record<string, StepRecord>
  /** Payload of every event emitted (and committed) in this run, by event name; the first emit wins. */
  emitted: Record<string, unknown>
  createdAt: number
  /** Last progress: any transition or appended event. Stall detection reads it. */
  updatedAt: number
  finishedAt?: number
  error?: string
}

export type RunEventType =
  | 'flow.start' | 'flow.completed' | 'flow.failed' | 'flow.cancel' | 'flow.stalled'
  | 'step.started' | 'step.completed' | 'step.failed' | 'step.retry'
  | 'log' | 'emit' | 'state'
  | 'await.registered' | 'await.resolved' | 'await.timeout' | 'trigger.fired'

/** An event as the engine writes it; the store adds `id` and `ts`. */
export interface RunEventInput {
  type: RunEventType
  runId: string
  flowName: string
  step?: string
  attempt?: number
  data?: unknown
}

export interface RunEvent extends RunEventInput {
  /** Ordered within the run; pass it as `after` to read what came later. */
  id: string
  /** Milliseconds since the epoch. */
  ts: number
}

export interface RunPage {
  items: RunRecord[]
  /** Runs matching the query, over all pages. */
  total: number
  /** Pass to the next call for the next page; absent on the last page. */
  cursor?: string
}
