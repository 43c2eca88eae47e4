/**
 * The store contract: run records changed only by atomic transitions, each run's event log, and a
 * key-value space with TTL (step state, once-only claims).
 */
import type { RunEvent, RunEventInput, RunPage, RunRecord, RunStatus } from '../types/run'
import type { KeepJobs } from './queue'

/** The outcome of a transition: the new record and the events it appends, committed together. */
export interface RunTransition {
  run: RunRecord
  events: RunEventInput[]
}

/**
 * Computes a transition from the current record, or `null` for "nothing to do". It must be pure: a
 * backend with optimistic concurrency calls it again on a conflict with the fresh record.
 */
export type RunMutation = (run: RunRecord) => RunTransition | null

/** Which runs `listRuns` lists: every filter given must match. */
export interface RunQuery {
  /** Runs of this flow. @default every flow */
  flow?: string
  status?: RunStatus
  /** Runs whose id starts with this (1 to 200 characters). @default any id */
  idPrefix?: string
  /** Runs created at or after this time (ms since the epoch). @default no lower bound */
  from?: number
  /** Runs created before this time (ms since the epoch). @default no upper bound */
  to?: number
  /** @default 50 */
  limit?: number
  /** The previous page's `cursor`, with the same filters. */
  cursor?: string
}

/**
 * Runs of one flow in the store by status, and `awaiting`: running runs with a step paused on an await.
 * A count that is 0 is absent.
 */
export type RunCounts = Partial<Record<RunStatus | 'awaiting', number>>

/** The runs that started, and that ended in each way, within one minute. */
export interface RunMinute {
  /** Start of the minute, ms since the epoch. */
  minute: number
  started: number
  completed: number
  failed: number
  canceled: number
  stalled: number
}

/**
 * Counters the store keeps as runs change (never by reading all runs): `counts` by flow, which drop as
 * runs are pruned, and `minutes`, a history of starts and ends by the minute of the record's `updatedAt`.
 */
export interface RunStats {
  flows: Record<string, RunCounts>
  /** Minutes since `runStats`' `since` with any start or end, oldest first. */
  minutes: RunMinute[]
}

/** How long stores keep `RunStats.minutes` at least. */
export const RUN_MINUTES_KEPT = 2 * 60 * 60_000

export const MINUTE = 60_000

/** The start of the minute `time` falls in: how `RunStats.minutes` are keyed. */
export function minuteOf(time: number): number {
  return Math.floor(time / MINUTE) * MINUTE
}

/** A minute with nothing in it, to add figures to. */
export function emptyMinute(minute: number): RunMinute {
  return { minute, started: 0, completed: 0, failed: 0, canceled: 0, stalled: 0 }
}

export interface KvSetOptions {
  /** Time to live in milliseconds. @default no expiry */
  ttl?: number
}

export interface KvEntry<T = unknown> {
  key: string
  value: T
}

/** An entry of a named log (a trigger's firing history). */
export interface LogEntry<T = unknown> {
  /** Ordered within the log. */
  id: string
  /** Milliseconds since the epoch. */
  ts: number
  data: T
}

export interface LogPage<T = unknown> {
  /** Newest first. */
  items: LogEntry<T>[]
  /** Pass as `before` for the next (older) page; absent on the last page. */
  cursor?: string
}

/**
 * How many of one kind of finished run a flow keeps, by count and/or by milliseconds since they finished:
 * the same limits as a queue's finished jobs. Whichever is reached first removes the oldest.
 */
export type KeepRuns = KeepJobs

/** The finished runs `pruneRuns` keeps of one flow: completed ones, and the rest (failed, canceled, stalled). */
export interface RunRetention {
  completed: KeepRuns
  failed: KeepRuns
}

/** The limits every store adapter takes besides where it keeps its data. */
export interface StoreLimits {
  /** Events kept in one run's log: appending more drops the oldest (ids are never reused). @default 10000 */
  eventsPerRun?: number
}

/** `StoreLimits.eventsPerRun` when none is given. */
export const DEFAULT_EVENTS_PER_RUN = 10_000

export interface StoreAdapter {
  /** Creates the run and appends its first events. Resolves `null` if a run with that id exists. */
  createRun(run: RunRecord, events: RunEventInput[]): Promise<RunEvent[] | null>
  getRun(runId: string): Promise<RunRecord | null>
  /**
   * Applies `mutate` atomically: no other transition of the run interleaves, and the new record and its
   * events are committed together. Resolves `null` if the run does not exist or `mutate` returned null.
   * `mutate` must not change the record it is given (it returns a new one): an in-process store hands it
   * the stored record itself.
   */
  updateRun(runId: string, mutate: RunMutation): Promise<{ run: RunRecord, events: RunEvent[] } | null>
  /** Runs matching `query` across flows (or of one), newest first (by `createdAt`), with the total count of matches. */
  listRuns(query?: RunQuery): Promise<RunPage>
  /** Run counts by flow and status, and starts and ends per minute since `since` (ms since the epoch). */
  runStats(since: number): Promise<RunStats>
  /** Appends events that change no state (logs, state notes) and sets the run's `updatedAt`. */
  appendEvents(runId: string, events: RunEventInput[]): Promise<RunEvent[]>
  readEvents(runId: string, options?: { after?: string, limit?: number }): Promise<RunEvent[]>

  /**
   * Removes the flow's finished runs beyond `keep`, the oldest finished first, each with its event log and
   * state. Running runs are never removed. Resolves how many runs were removed.
   */
  pruneRuns(flowName: string, keep: RunRetention): Promise<number>
  /** Every flow that has runs in the store, including flows the current build no longer has. */
  listFlows(): Promise<string[]>

  /** A key of a scope's state (a run's `ctx.state`; the scope is the run id). */
  stateGet<T = unknown>(scope: string, key: string): Promise<T | undefined>
  stateSet(scope: string, key: string, value: unknown, options?: KvSetOptions): Promise<void>
  stateDelete(scope: string, key: string): Promise<void>
  /** Removes every key of the scope's state. */
  stateClear(scope: string): Promise<void>

  kvGet<T = unknown>(key: string): Promise<T | undefined>
  kvSet(key: string, value: unknown, options?: KvSetOptions): Promise<void>
  kvDelete(key: string): Promise<void>
  /** Sets the key only if it is absent (or expired): the atomic claim behind once-across-instances work. */
  kvClaim(key: string, value: unknown, options?: KvSetOptions): Promise<boolean>
  /** Every live (unexpired) key starting with `prefix`, ordered by key. */
  kvEntries<T = unknown>(prefix: string): Promise<KvEntry<T>[]>

  /** Appends to the named log, dropping its oldest entries beyond `maxLength`. */
  logAppend<T = unknown>(log: string, data: T, options: { maxLength: number }): Promise<LogEntry<T>>
  /** A page of the named log, newest first. @default limit 50 */
  logRead<T = unknown>(log: string, options?: { before?: string, limit?: number }): Promise<LogPage<T>>

  close(): Promise<void>
}
