import { consola } from 'consola'
import type pg from 'pg'
import type { KvEntry, KvSetOptions, LogEntry, LogPage, RunMutation, RunQuery, RunRetention, RunStats, StoreAdapter } from '../../contracts/store'
import type { RunEvent, RunEventInput, RunPage, RunRecord } from '../../types/run'
import { RecentRuns, updateOptimistically } from '../shared/recent-runs'
import { runStatsDelta } from '../shared/run-stats'
import { encodeJsonb } from './json'
import type { Connection } from './pool'
import { encodeDelta, RunCounters } from './run-counters'
import { listRuns } from './run-pages'
import type { RetryMode } from './retry'
import { queryOnce, withReconnect } from './retry'
import { claimKey, deleteKey, getKey, keysWithPrefix, setKey } from './store-kv'
import { appendLog, readLog } from './store-logs'
import { finishedAt, listFlows, pruneRuns } from './store-retention'
import { eventId, parseEventId, toRunEvent } from './store-rows'
import { storeSql } from './store-sql'
import { clearState, deleteState, getState, setState } from './store-state'

/** A run as this process committed it last, with the JSON it wrote. */
interface StoredRun {
  run: RunRecord
  json: string
}

/** Expired keys and state are deleted once every this many writes; until then readers skip them. */
const SWEEP_EVERY = 500

const logger = consola.withTag('nvent')

/**
 * The store on PostgreSQL: one row per run, its log in `run_events` (the newest `eventsPerRun` kept), keys
 * in `kv`, named logs in `logs` (see `./store-logs`), run state in `state` (`./store-state`), pruning in
 * `./store-retention`, run counters in `./run-counters`. Every change is one statement or one transaction,
 * so a transition, its events and its counter deltas are committed together or not at all.
 *
 * Over a lost connection, reads, upserts, deletes and transactions that failed before COMMIT are retried
 * (a rolled-back transaction re-reads the run and re-applies the mutation). Inserts that must not happen
 * twice (createRun, appendEvents, kvClaim) are retried only when the statement never reached the server:
 * one lost in flight may have been applied, and a second copy (a duplicate log line, a claim refused to
 * its own holder, a run reported as existing) is worse than passing the error to the caller.
 */
export class PostgresStore implements StoreAdapter {
  private readonly pool: pg.Pool
  private readonly counters: RunCounters
  private writes = 0
  /**
   * The last append to each run still in flight. Appends to one run are sent in call order: the engine
   * logs without awaiting each line, and pooled connections would otherwise commit them in any order.
   */
  private readonly appending = new Map<string, Promise<unknown>>()
  private closed = false
  private readonly recent = new RecentRuns<StoredRun>()

  /**
   * @param eventsPerRun events kept per run, checked by the caller (`eventsCap`).
   */
  constructor(private readonly connection: Connection, private readonly schema: string, private readonly eventsPerRun: number) {
    this.pool = connection.pool
    this.counters = new RunCounters(this.pool, schema)
  }

  async createRun(run: RunRecord, events: RunEventInput[]): Promise<RunEvent[] | null> {
    const ts = Date.now()
    const record = encodeJsonb(run, `run "${run.id}"`)
    const { rows } = await this.retry(`creating run "${run.id}"`, 'once', () => queryOnce(this.pool, storeSql.createRun(this.schema), [
      run.id, run.flowName, run.status, record, run.createdAt, run.updatedAt, encodeEvents(events), ts,
      finishedAt(run), this.eventsPerRun, encodeDelta(runStatsDelta(null, run)),
    ]))
    if (rows.length === 0)
      return null
    this.remember(run.id, record)
    this.countedWrite()
    return stamp(events, 0, ts)
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const { rows } = await this.retry(`reading run "${runId}"`, 'idempotent', () => this.pool.query(storeSql.getRun(this.schema), [runId]))
    return rows[0]?.record ?? null
  }

  /**
   * Optimistic, one statement: the transition commits only if the run's record is still the one it was
   * computed from, else it is computed again from the current record. The record this process committed
   * last is remembered, so the next transition of the run (its next step) needs no read first.
   */
  async updateRun(runId: string, mutate: RunMutation): Promise<{ run: RunRecord, events: RunEvent[] } | null> {
    const read = async () => {
      const run = await this.getRun(runId)
      return run ? { run, json: encodeJsonb(run, `run "${runId}"`) } : undefined
    }
    return updateOptimistically(this.recent.get(runId), read, from => from.run, mutate, async (from, _, { run, events }) => {
      const ts = Date.now()
      const record = encodeJsonb(run, `run "${runId}"`)
      const { rows } = await this.retry(`updating run "${runId}"`, 'idempotent', () => this.pool.query(storeSql.replaceRun(this.schema), [
        runId, run.status, record, run.updatedAt, encodeEvents(events), ts, finishedAt(run), this.eventsPerRun,
        encodeDelta(runStatsDelta(from.run, run)), from.json,
      ]))
      // Gone, or changed since: a fresh read tells which.
      if (rows.length === 0)
        return { stale: undefined }
      this.remember(runId, record)
      this.countedWrite()
      return { done: { run: JSON.parse(record) as RunRecord, events: stamp(events, Number(rows[0].base), ts) } }
    })
  }

  /** The record as committed, and its JSON, which the next transition's check compares without encoding it again. */
  private remember(runId: string, json: string) {
    const run = JSON.parse(json) as RunRecord
    this.recent.set(runId, { run, json }, run.status !== 'running')
  }

  listRuns(query?: RunQuery): Promise<RunPage> {
    return listRuns(this.pool, this.schema, query)
  }

  runStats(since: number): Promise<RunStats> {
    return this.counters.stats(since)
  }

  appendEvents(runId: string, events: RunEventInput[]): Promise<RunEvent[]> {
    const previous = this.appending.get(runId)
    const append = previous ? previous.then(() => this.append(runId, events), () => this.append(runId, events)) : this.append(runId, events)
    this.appending.set(runId, append)
    const forget = () => this.appending.get(runId) === append && this.appending.delete(runId)
    append.then(forget, forget)
    return append
  }

  async readEvents(runId: string, options: { after?: string, limit?: number } = {}): Promise<RunEvent[]> {
    const after = options.after === undefined ? 0 : parseEventId(options.after)
    const { rows } = await this.retry(`reading events of run "${runId}"`, 'idempotent', () => this.pool.query(storeSql.readEvents(this.schema), [runId, after, options.limit ?? null]))
    return rows.map(toRunEvent)
  }

  async pruneRuns(flowName: string, keep: RunRetention): Promise<number> {
    const removed = await pruneRuns(this.pool, this.schema, flowName, keep)
    if (removed > 0)
      this.countedWrite()
    return removed
  }

  listFlows(): Promise<string[]> {
    return listFlows(this.pool, this.schema)
  }

  stateGet<T = unknown>(scope: string, key: string): Promise<T | undefined> {
    return getState<T>(this.pool, this.schema, scope, key)
  }

  async stateSet(scope: string, key: string, value: unknown, options: KvSetOptions = {}) {
    await setState(this.pool, this.schema, scope, key, value, options)
    this.sweepNow()
  }

  stateDelete(scope: string, key: string): Promise<void> {
    return deleteState(this.pool, this.schema, scope, key)
  }

  stateClear(scope: string): Promise<void> {
    return clearState(this.pool, this.schema, scope)
  }

  kvGet<T = unknown>(key: string): Promise<T | undefined> {
    return getKey<T>(this.pool, this.schema, key)
  }

  async kvSet(key: string, value: unknown, options: KvSetOptions = {}) {
    await setKey(this.pool, this.schema, key, value, options)
    this.sweepNow()
  }

  kvDelete(key: string): Promise<void> {
    return deleteKey(this.pool, this.schema, key)
  }

  async kvClaim(key: string, value: unknown, options: KvSetOptions = {}): Promise<boolean> {
    const claimed = await claimKey(this.pool, this.schema, key, value, options)
    this.sweepNow()
    return claimed
  }

  kvEntries<T = unknown>(prefix: string): Promise<KvEntry<T>[]> {
    return keysWithPrefix<T>(this.pool, this.schema, prefix)
  }

  logAppend<T = unknown>(log: string, data: T, options: { maxLength: number }): Promise<LogEntry<T>> {
    return appendLog(this.pool, this.schema, log, data, options.maxLength)
  }

  logRead<T = unknown>(log: string, options: { before?: string, limit?: number } = {}): Promise<LogPage<T>> {
    return readLog<T>(this.pool, this.schema, log, options)
  }

  async close() {
    if (this.closed)
      return
    this.closed = true
    await this.connection.release()
  }

  private async append(runId: string, events: RunEventInput[]): Promise<RunEvent[]> {
    const ts = Date.now()
    const encoded = encodeEvents(events)
    const { rows } = await this.retry(`appending events to run "${runId}"`, 'once', () => queryOnce(this.pool, storeSql.appendEvents(this.schema), [runId, encoded, ts, this.eventsPerRun]))
    if (rows.length === 0)
      throw new Error(`nvent: cannot append events to run "${runId}": no such run`)
    // As the statement sets it.
    this.recent.update(runId, (committed) => {
      committed.run.updatedAt = ts
      committed.json = JSON.stringify(committed.run)
    })
    return stamp(events, Number(rows[0].base), ts)
  }

  private retry<T>(what: string, mode: RetryMode, work: () => Promise<T>): Promise<T> {
    return withReconnect(this.pool, what, mode, work)
  }

  /** A write that may have inserted counter deltas: the counters fold them now and then. */
  private countedWrite() {
    if (!this.closed)
      this.counters.wrote()
  }

  /** Every SWEEP_EVERY writes, deletes expired keys and state in the background so TTL'd rows cannot pile up. */
  private sweepNow() {
    if (++this.writes % SWEEP_EVERY !== 0 || this.closed)
      return
    this.pool.query(storeSql.sweepExpired(this.schema)).catch(error => logger.error(`sweeping expired keys and state failed: ${error.message}`))
  }
}

function encodeEvents(events: RunEventInput[]): string {
  return encodeJsonb(events, 'run events')
}

/** The events as stored: numbered after `base` in order, stamped `ts`, copied through JSON like the row. */
function stamp(events: RunEventInput[], base: number, ts: number): RunEvent[] {
  return (JSON.parse(JSON.stringify(events)) as RunEventInput[]).map((event, i) => ({ ...event, id: eventId(base + i + 1), ts }))
}
