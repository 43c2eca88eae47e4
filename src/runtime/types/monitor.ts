/**
 * The monitoring API: what the DevTools tab and the dashboard read and do. Plain data only, so a browser
 * client imports these types (type-only) and any transport carries the values as JSON.
 */
import type { Job, JobCounts, JobState } from '../contracts/queue'
import type { LogPage, RunCounts, RunMinute, RunQuery } from '../contracts/store'
import type { AwaitConfig, AwaitPhase, AwaitType } from './await'
import type { LogLevel } from './context'
import type { RunEvent, RunPage, RunRecord, StepRecord } from './run'
import type { TriggerFiring, TriggerInfo, TriggerType } from './trigger'

export interface QueueSummary {
  name: string
  counts: JobCounts
  paused: boolean
}

export interface MonitorOverview {
  /** Runs by status (and `awaiting`) per flow, kept by the store as runs change. */
  flows: Record<string, RunCounts>
  /** The same summed over every flow. */
  totals: RunCounts
  /** The last hour, one entry per minute (zeros included), oldest first. */
  minutes: RunMinute[]
  queues: QueueSummary[]
  /** Jobs waiting or delayed over every queue. */
  backlog: number
}

/** A step of a flow's graph. */
export interface FlowStepNode {
  name: string
  functionId: string
  queue: string
  /** Total attempts, the first included. */
  attempts: number
  /** Milliseconds before an attempt times out. */
  timeout?: number
  subscribes: string[]
  emits: string[]
  awaitBefore?: AwaitConfig
  awaitAfter?: AwaitConfig
  /** The function's source file, in dev only (for open-in-editor). */
  file?: string
}

/** An event from the step that emits it to a step that subscribes to it. */
export interface FlowEdge {
  event: string
  from: string
  to: string
}

export interface FlowTriggerNode {
  name: string
  type: TriggerType
  mode: 'auto' | 'manual'
  enabled: boolean
  cron?: string
  timezone?: string
}

export interface FlowGraph {
  name: string
  entry: string
  steps: FlowStepNode[]
  edges: FlowEdge[]
  triggers: FlowTriggerNode[]
}

/** A run as a list shows it: no input, outputs or step details. */
export interface RunSummary extends Pick<RunRecord, 'id' | 'flowName' | 'status' | 'createdAt' | 'updatedAt' | 'finishedAt' | 'error' | 'parentRunId' | 'rerunOf'> {
  /** The firing that started it. */
  trigger?: { name: string, type: TriggerType }
  /** Steps by status. */
  steps: Partial<Record<StepRecord['status'], number>>
}

export interface RunSummaryPage extends Omit<RunPage, 'items'> {
  items: RunSummary[]
}

/** A step of a run, with what a detail view shows of it. */
export interface StepDetail extends StepRecord {
  name: string
  /** What the handler received: the flow input for the entry, the subscribed events' payloads for the rest. */
  input?: unknown
  /** Milliseconds from the start of its last attempt to its end (or to now while it runs). */
  duration?: number
  /** The latest `ctx.progress` of a step that runs. */
  progress?: { percent: number, message?: string }
}

export interface RunDetail {
  run: RunRecord
  steps: StepDetail[]
  parent?: RunSummary
  children: RunSummary[]
}

export interface LogQuery {
  /** The lowest level shown. @default 'debug' */
  level?: LogLevel
  /** An event id: only logs after it. */
  after?: string
  /** @default 200 */
  limit?: number
}

/** An open await as the monitor shows it: never a webhook await's URL or token. */
export interface AwaitView {
  runId: string
  flowName: string
  step: string
  phase: AwaitPhase
  type: AwaitType
  since: number
  /** `time`: when it resumes. */
  resumeAt?: number
  /** `webhook`, `event`: when it times out. */
  deadline?: number
  event?: string
}

export interface JobPage {
  items: Job[]
  /** Jobs in the states asked for. */
  total: number
}

/** The read half: what the dashboard serves too. Every member takes and returns JSON-safe values. */
export interface MonitorReads {
  overview(): Promise<MonitorOverview>
  flows(): Promise<FlowGraph[]>
  runs(query?: RunQuery): Promise<RunSummaryPage>
  run(runId: string): Promise<RunDetail | null>
  /** The run's events after `after`, oldest first. @default limit 500 */
  events(runId: string, options?: { after?: string, limit?: number }): Promise<RunEvent[]>
  logs(runId: string, query?: LogQuery): Promise<RunEvent[]>
  /** The run's state keys and values now. */
  state(runId: string): Promise<Record<string, unknown>>
  queues(): Promise<QueueSummary[]>
  jobs(queue: string, options?: { state?: JobState, limit?: number, offset?: number }): Promise<JobPage>
  triggers(): Promise<TriggerInfo[]>
  triggerHistory(name: string, options?: { before?: string, limit?: number }): Promise<LogPage<TriggerFiring>>
  awaits(flowName?: string): Promise<AwaitView[]>
}

/** The actions: DevTools only, never the dashboard. */
export interface MonitorActions {
  startFlow(flowName: string, input?: unknown): Promise<{ runId: string }>
  fireTrigger(name: string, data?: unknown): Promise<TriggerFiring>
  enableTrigger(name: string): Promise<TriggerInfo>
  disableTrigger(name: string): Promise<TriggerInfo>
  resolveAwait(runId: string, step: string, payload?: unknown): Promise<boolean>
  rejectAwait(runId: string, step: string, reason?: string): Promise<boolean>
  /** Ends a time await now, as if its time had come. */
  resumeAwait(runId: string, step: string): Promise<boolean>
  cancelRun(runId: string): Promise<boolean>
  /** A new run with the same input, or `input` when given. */
  rerun(runId: string, input?: unknown): Promise<{ runId: string }>
  /** A new run that keeps the completed steps' outputs and runs the failed step and what follows. */
  rerunFromFailedStep(runId: string): Promise<{ runId: string }>
  retryJob(queue: string, jobId: string): Promise<boolean>
  removeJob(queue: string, jobId: string): Promise<boolean>
  pauseQueue(queue: string): Promise<void>
  resumeQueue(queue: string): Promise<void>
}

/** What the live subscription delivers, as it commits on any instance. */
export type MonitorMessage =
  | { type: 'run.event', event: RunEvent }
  | { type: 'trigger.changed', name?: string }
  | { type: 'queue.counts', queue: string, counts: JobCounts }

export interface MonitorLive {
  /** Delivers every message until the returned function is called. */
  subscribe(handler: (message: MonitorMessage) => void): Promise<() => Promise<void>>
}

export interface MonitorApi extends MonitorReads, MonitorActions, MonitorLive {}

/** The read functions by name: the only ones the read-only transport exposes. */
export const MONITOR_READS = ['overview', 'flows', 'runs', 'run', 'events', 'logs', 'state', 'queues', 'jobs', 'triggers', 'triggerHistory', 'awaits'] as const satisfies ReadonlyArray<keyof MonitorReads>

/**
 * The name each read gives its leading string argument when it travels as a query parameter
 * (`run(runId)` is `GET …/run?runId=`); a trailing options object travels as parameters of its own keys.
 */
export const MONITOR_READ_PARAMS: { readonly [Read in keyof MonitorReads]: string | undefined } = {
  overview: undefined,
  flows: undefined,
  runs: undefined,
  run: 'runId',
  events: 'runId',
  logs: 'runId',
  state: 'runId',
  queues: undefined,
  jobs: 'queue',
  triggers: undefined,
  triggerHistory: 'name',
  awaits: 'flow',
}

/** The actions by name: what the DevTools bridge exposes besides the reads. */
export const MONITOR_ACTIONS = ['startFlow', 'fireTrigger', 'enableTrigger', 'disableTrigger', 'resolveAwait', 'rejectAwait', 'resumeAwait', 'cancelRun', 'rerun', 'rerunFromFailedStep', 'retryJob', 'removeJob', 'pauseQueue', 'resumeQueue'] as const satisfies ReadonlyArray<keyof MonitorActions>

/** A read or an action, by name. */
export type MonitorCallName = typeof MONITOR_READS[number] | typeof MONITOR_ACTIONS[number]
