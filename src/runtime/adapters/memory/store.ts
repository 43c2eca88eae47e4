import type { KvEntry, KvSetOptions, LogEntry, LogPage, RunMutation, RunQuery, RunRetention, RunStats, StoreAdapter } from '../../contracts/store'
import type { RunEvent, RunEventInput, RunPage, RunRecord } from '../../types/run'
import { assertMaxLength, eventCursor, SEQUENCE_ID } from '../shared/logs'
import { firstAtOrAfter, logEntryId, nextSequence, readLog } from './log-pages'
import { committer, type OpLog } from './oplog'
import { listRuns } from './run-pages'
import { prunedRuns } from './run-retention'
import { eventId, type StoreBook, type StoreOp } from './store-book'
import { copy } from '../shared/copy'

/**
 * The in-process store. Values are cloned on the way in and out, so callers never share objects with
 * the stored state. Every change is one synchronous op, which is what makes `updateRun` and `kvClaim`
 * atomic within the process. The memory backend gives it a volatile log, the file backend a journal.
 */
export class LocalStore implements StoreAdapter {
  private readonly commit: (op: StoreOp) => Promise<void>
  /** Expired keys are swept when the space has doubled since the last sweep, so TTL'd claims cannot pile up. */
  private sweepAt = 1024

  constructor(private readonly book: StoreBook, private readonly log: OpLog<StoreOp>) {
    this.commit = committer(book, log)
  }

  async createRun(run: RunRecord, events: RunEventInput[]): Promise<RunEvent[] | null> {
    if (this.book.runs.has(run.id))
      return null
    const stamped = this.stamp(run.id, events)
    await this.commit({ type: 'putRun', ...copy({ run, events: stamped }) })
    return stamped
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const entry = this.book.runs.get(runId)
    return entry ? copy(entry.run) : null
  }

  async updateRun(runId: string, mutate: RunMutation) {
    const entry = this.book.runs.get(runId)
    // A mutation never changes the record it is given (contracts/store.ts), so it reads the stored one.
    const transition = entry && mutate(entry.run)
    if (!transition)
      return null
    const { run } = transition
    const events = this.stamp(runId, transition.events)
    // One copy goes in; the caller keeps the transition's own objects, which the store no longer holds.
    await this.commit({ type: 'putRun', ...copy({ run, events }) })
    return { run, events }
  }

  async listRuns(query?: RunQuery): Promise<RunPage> {
    return copy(listRuns(this.book.runs, query))
  }

  async runStats(since: number): Promise<RunStats> {
    return copy(this.book.runs.counters.stats(since))
  }

  async appendEvents(runId: string, events: RunEventInput[]): Promise<RunEvent[]> {
    if (!this.book.runs.has(runId))
      throw new Error(`nvent: cannot append events to run "${runId}": no such run`)
    const stamped = this.stamp(runId, events)
    const updatedAt = stamped[0]?.ts ?? Date.now()
    await this.commit({ type: 'appendEvents', runId, events: copy(stamped), updatedAt })
    return stamped
  }

  async readEvents(runId: string, options: { after?: string, limit?: number } = {}): Promise<RunEvent[]> {
    const events = this.book.runs.eventsOf(runId)
    // Ids are the run's event sequence; the cap may have dropped the oldest, so find where `after` falls.
    const start = options.after === undefined ? 0 : firstAtOrAfter(events, Number(eventCursor(options.after, SEQUENCE_ID)) + 1)
    const end = options.limit === undefined ? undefined : start + options.limit
    return copy(events.slice(start, end))
  }

  async pruneRuns(flowName: string, keep: RunRetention): Promise<number> {
    const runIds = prunedRuns(this.book.runs.runsOf(flowName).map(entry => entry.run), keep, Date.now())
    if (runIds.length > 0)
      await this.commit({ type: 'dropRuns', runIds })
    return runIds.length
  }

  async listFlows(): Promise<string[]> {
    return this.book.runs.flowNames()
  }

  async stateGet<T = unknown>(scope: string, key: string): Promise<T | undefined> {
    const entry = this.book.state.get(scope, key, Date.now())
    return entry && copy(entry.value as T)
  }

  async stateSet(scope: string, key: string, value: unknown, options: KvSetOptions = {}) {
    await this.commit({ type: 'stateSet', scope, key, value: copy(value), expiresAt: expiry(options) })
  }

  async stateDelete(scope: string, key: string) {
    await this.commit({ type: 'stateDelete', scope, key })
  }

  async stateClear(scope: string) {
    await this.commit({ type: 'stateClear', scope })
  }

  async kvGet<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.book.kvEntry(key, Date.now())
    return entry && copy(entry.value as T)
  }

  async kvSet(key: string, value: unknown, options: KvSetOptions = {}) {
    const durable = this.commit({ type: 'kvSet', key, value: copy(value), expiresAt: expiry(options) })
    if (this.book.kv.size >= this.sweepAt) {
      this.book.sweepExpired(Date.now())
      this.sweepAt = Math.max(1024, this.book.kv.size * 2)
    }
    await durable
  }

  async kvDelete(key: string) {
    await this.commit({ type: 'kvDelete', key })
  }

  async kvClaim(key: string, value: unknown, options: KvSetOptions = {}): Promise<boolean> {
    if (this.book.kvEntry(key, Date.now()))
      return false
    await this.kvSet(key, value, options)
    return true
  }

  async kvEntries<T = unknown>(prefix: string): Promise<KvEntry<T>[]> {
    const now = Date.now()
    const keys = [...this.book.kv.keys()].filter(key => key.startsWith(prefix) && this.book.kvEntry(key, now)).sort()
    return keys.map(key => ({ key, value: copy(this.book.kv.get(key)!.value as T) }))
  }

  async logAppend<T = unknown>(log: string, data: T, options: { maxLength: number }): Promise<LogEntry<T>> {
    assertMaxLength(options.maxLength)
    const entry = { id: logEntryId(nextSequence(this.book.logs.get(log))), ts: Date.now(), data: copy(data) }
    await this.commit({ type: 'logAppend', log, entry, maxLength: options.maxLength })
    return copy(entry)
  }

  async logRead<T = unknown>(log: string, options: { before?: string, limit?: number } = {}): Promise<LogPage<T>> {
    return copy(readLog(this.book.logs.get(log) ?? [], options)) as LogPage<T>
  }

  async close() {
    await this.log.close()
  }

  /** Gives the events their ids (continuing the run's sequence) and the current time; the caller copies them in. */
  private stamp(runId: string, events: RunEventInput[]): RunEvent[] {
    const count = this.book.runs.get(runId)?.eventCount ?? 0
    const ts = Date.now()
    return events.map((event, i) => ({ ...event, id: eventId(count + i + 1), ts }))
  }
}

function expiry(options: KvSetOptions): number | undefined {
  return options.ttl === undefined ? undefined : Date.now() + options.ttl
}
