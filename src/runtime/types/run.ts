/** Runs, steps and the events of a run's log. */
import type { AwaitPhase, AwaitType } from './await'
import type { FiringSource, TriggerType } from './trigger'

export const RUN_STATUSES = ['running', 'completed', 'failed', 'canceled', 'stalled'] as const

export type RunStatus = typeof RUN_STATUSES[number]

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'canceled', 'stalled']

/**
 * `queued`: activated, its job enqueued. `running`: an attempt is executing. `retrying`: an attempt
 * failed and the queue will try again. `awaiting`: paused on an await, before it runs or after it
 * completed. The rest are final.
 */
export type StepStatus = 'queued' | 'running' | 'retrying' | 'awaiting' | 'completed' | 'failed' | 'canceled'

/** A step's await: registered when the step pauses, kept after it resolves. */
export interface StepAwait {
  phase: AwaitPhase
  type: AwaitType
  registeredAt: number
  /** `time`: when it resumes. */
  resumeAt?: number
  /** `webhook`, `event`: when `timeoutAction` applies. */
  deadline?: number
  timeoutAction?: 'fail' | 'continue'
  /** `event`: the event name and the value its data must carry at `matchKey`. */
  event?: string
  matchKey?: string
  matchValue?: unknown
  /** `after` awaits: the step's emits, committed when the await resolves. */
  pendingEmits?: Array<{ name: string, data: unknown }>
  /** How it ended. */
  outcome?: 'resolved' | 'timeout' | 'rejected'
  resolvedAt?: number
  /** What resolved it (webhook body, event data); `ctx.trigger` of a step that awaited before. */
  payload?: unknown
}

/** What one failed attempt of a step threw. */
export interface StepError {
  attempt: number
  message: string
  /** The stack of a thrown Error; a thrown string or object has none. */
  stack?: string
  /** When the attempt failed, in milliseconds since the epoch. */
  at: number
}

export interface StepRecord {
  status: StepStatus
  /** The attempt running or last run, from 1. 0 while queued. */
  attempt: number
  queuedAt: number
  startedAt?: number
  finishedAt?: number
  /** The message of the step's last failure (an attempt's, or a failed await's). */
  error?: string
  /** Each failed attempt's error, oldest first, one per attempt number (so at most the step's attempts). */
  errors?: StepError[]
  output?: unknown
  /** Steps this step's completion activated (re-enqueued if the completion is delivered again). */
  activated?: string[]
  await?: StepAwait
  /** Copied, completed, from the run this one reruns (`RunRecord.rerunOf`): not run again. */
  reused?: true
}

/** The firing that started a run; its `data` is `input.trigger.data` and the entry's `ctx.trigger`. */
export interface RunTrigger {
  name: string
  type: TriggerType
  source: FiringSource
  data: unknown
  firedAt: number
}

/** A run a step of this run started with `ctx.flow.startFlow`. */
export interface RunChild {
  runId: string
  flowName: string
  /** The step that started it. */
  step: string
}

export interface RunRecord {
  id: string
  flowName: string
  status: RunStatus
  input: unknown
  /** The run whose step started this one, for nested flows. */
  parentRunId?: string
  /** The trigger firing that started it (or the run it reruns). */
  trigger?: RunTrigger
  /** The run this one reruns (`flow.rerun`). */
  rerunOf?: string
  /**
   * A rerun from the failed step: the steps it started with, after copying the completed steps of the run
   * it reruns. Those steps' successors follow as usual.
   */
  rerunFrom?: string[]
  /** Runs its steps started (`ctx.flow.startFlow`), each listed once however often its step ran. */
  children?: RunChild[]
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
  | 'step.started' | 'step.completed' | 'step.failed' | 'step.retry' | 'step.progress'
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

/** Where a run comes from: a parent run, a trigger firing, or an id derived from its cause. */
export interface RunOrigin {
  parentRunId?: string
  trigger?: RunTrigger
  /** A run id derived from the run's cause: starting it again finds the run that exists. */
  runId?: string
}
