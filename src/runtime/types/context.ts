/** The context every handler receives as its second argument. */
import type { RunRecord } from './run'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface RunContext {
  jobId: string
  queue: string
  /** The flow run, for a flow step. */
  runId?: string
  /** Alias of `runId`. */
  flowId?: string
  flowName?: string
  stepName?: string
  /** The attempt, from 1. */
  attempt: number
  /**
   * What resolved the step's `awaitBefore` (a webhook's body, an event's data); for the entry of a run a
   * trigger started, the firing's data.
   */
  trigger?: unknown
  /** Aborts when the run is canceled or the step times out. */
  signal: AbortSignal
  logger: {
    /** Writes a `log` event to the run's timeline (and to the server console). */
    log(level: LogLevel, message: string, meta?: Record<string, unknown>): void
  }
  /**
   * Reports how far the step is, as a `step.progress` event (`{ percent, message? }`) in the run's log,
   * published live like a log line; as any event, it also keeps the run from counting as stalled.
   * `percent` is a finite number from 0 to 100 (else this throws). Call it as often as you like: a step
   * writes at most one event per 250 ms, the latest report winning, and the last one before the step's
   * outcome commits. A plain function (no run) reports nowhere.
   */
  progress(percent: number, message?: string): void
  /** Key-value state scoped to the run (to the job for a plain function). */
  state: {
    get<T = unknown>(key: string): Promise<T | undefined>
    set(key: string, value: unknown, options?: { ttl?: number }): Promise<void>
    delete(key: string): Promise<void>
  }
  flow: {
    /** Emits an event of this step; it takes effect when the step completes. */
    emit(name: string, data?: unknown): Promise<void>
    /** Starts another flow as a child of this run. */
    startFlow(name: string, input?: unknown): Promise<{ runId: string }>
    cancelFlow(name: string, runId: string): Promise<boolean>
    isRunning(name: string, runId?: string): Promise<boolean>
    getRunningFlows(name: string): Promise<RunRecord[]>
  }
}
