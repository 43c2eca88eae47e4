/** The flow half of the public API (`useNvent().flow`): start, cancel and read runs. */
import type { RunQuery } from '../contracts/store'
import type { RunEvent, RunOrigin, RunPage, RunRecord } from './run'

export interface StartOptions extends RunOrigin {
  /**
   * Makes the start safe to retry: the run id derives from the flow and this key, so a start repeated
   * with the same key (a client that got no answer and tries again) returns the run the first one made,
   * for as long as that run is kept. At most 200 characters. @default undefined (every start is a new run)
   */
  idempotencyKey?: string
}

/** What `flow.rerun` takes. */
export interface RerunOptions {
  /** The new run's input. Not with `fromFailedStep`. @default the input of the run it reruns */
  input?: unknown
  /**
   * Starts from where a failed, canceled or stalled run stopped: its completed steps are copied into the
   * new run (marked `reused`, not run again) with their emits, and the steps those emits leave ready run.
   * @default false (every step runs again)
   */
  fromFailedStep?: boolean
}

export interface FlowApi {
  /** Starts a run of the flow with `input`; resolves once the run is recorded and its entry enqueued. */
  start(name: string, input?: unknown, options?: StartOptions): Promise<{ runId: string }>
  /** Cancels a running run: queued steps never start, running handlers see `ctx.signal` abort. */
  cancel(runId: string): Promise<boolean>
  /**
   * Starts a new run of the run's flow (this build's graph), linked to it by `rerunOf` and keeping its
   * trigger; see `RerunOptions`. Refuses an unknown run or flow (404), `fromFailedStep` for a run that
   * is running or completed (409), and `input` with `fromFailedStep` or an input `start` would refuse (400).
   */
  rerun(runId: string, options?: RerunOptions): Promise<{ runId: string }>
  getRun(runId: string): Promise<RunRecord | null>
  /** The flow's runs, newest first; `query` filters and pages them. */
  listRuns(name: string, query?: Omit<RunQuery, 'flow'>): Promise<RunPage>
  /** Events of the run's log, oldest first. */
  events(runId: string, options?: { after?: string, limit?: number }): Promise<RunEvent[]>
  /** With a run id: whether that run of the flow is running; without: whether any run is. */
  isRunning(name: string, runId?: string): Promise<boolean>
  getRunningFlows(name: string): Promise<RunRecord[]>
}
