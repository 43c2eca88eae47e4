import type { KvEntry, KvSetOptions, LogEntry, LogPage, RunMutation, RunQuery, RunRetention, RunStats, StoreAdapter } from '../../contracts/store'
import type { RunEvent, RunEventInput, RunPage, RunRecord } from '../../types/run'
import { runStatsDelta } from '../shared/run-stats'
import type { RedisLease } from './connection'
import { toJson } from './json'
import { kvEntries } from './kv-entries'
import { listRuns, parseRecord } from './run-pages'
import { commitRunKeys, createRunKeys } from './run-script-keys'
import { readRunStats, rebuildIndexes, statsArgs } from './run-stats'
import { type StoreScripts, storeScripts } from './scripts'
import { type StoreKeys, storeKeys } from './store-keys'
import { encodeEvents, readEvents, stamp } from './store-events'
import { appendLog, readLog } from './store-logs'
import { finishedArgs, listFlows, pruneRuns } from './store-retention'
import { readJson, writeKv } from './store-kv'
import { RecentRuns, updateOptimistically } from '../shared/recent-runs'
import { clearState, deleteState, getState, setState } from './store-state'

/** A run hash's fields as a transition reads them. */
interface RunFields {
  record: string
  updatedAt: string
  version: string
}

/**
 * The store on Redis. A run is a hash holding its JSON record, changed only by the Lua scripts in
 * `./lua`, each of which writes the record, the run's indexes and its event stream together.
 * `updateRun` is optimistic: it computes the transition from the record it read and commits only if
 * the record's version is still the same, computing again otherwise. Every write of events trims the
 * run's stream to its last `eventsPerRun` events, and finished runs are indexed by finishedAt for pruning.
 * The same scripts keep the global indexes `listRuns` pages through and the counters of `runStats`.
 */
export class RedisStore implements StoreAdapter {
  private readonly keys: StoreKeys
  private readonly scripts: StoreScripts
  private readonly recent = new RecentRuns<RunFields>()

  constructor(private readonly lease: RedisLease, private readonly prefix: string, private readonly eventsPerRun: number) {
    this.keys = storeKeys(prefix)
    this.scripts = storeScripts(lease.client)
  }

  /** Builds what runs written before the global indexes and counters lack; see `lua/rebuildIndexes.lua`. */
  async open(): Promise<this> {
    await rebuildIndexes(this.scripts, this.keys, this.prefix)
    return this
  }

  private get client() {
    return this.lease.client
  }

  async createRun(run: RunRecord, events: RunEventInput[]): Promise<RunEvent[] | null> {
    const { keys } = this
    const ts = Date.now()
    const encoded = encodeEvents(run.id, events)
    const json = toJson(run, `run "${run.id}"`)
    const ids = await this.scripts.createRun(
      createRunKeys(keys, run),
      [json, run.updatedAt, run.createdAt, run.id, run.flowName, ...finishedArgs(run), this.eventsPerRun, ts, ...statsArgs(runStatsDelta(null, run), ts), ...encoded],
    ) as string[] | null
    if (!ids)
      return null
    // createRun.lua starts the version at 1.
    this.recent.set(run.id, { record: json, updatedAt: String(run.updatedAt), version: '1' }, run.status !== 'running')
    return stamp(encoded, ids, ts)
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    return parseRecord(await this.client.hmget(this.keys.run(runId), 'record', 'updatedAt'))
  }

  async updateRun(runId: string, mutate: RunMutation) {
    return updateOptimistically(this.recent.get(runId), () => this.readFields(runId), fields => parseRecord([fields.record, fields.updatedAt]), mutate, async (fields, current, { run, events }) => {
      const json = toJson(run, `run "${runId}"`)
      const ts = Date.now()
      const encoded = encodeEvents(runId, events)
      // The script keeps the later updatedAt (see commitRun.lua): the minute of an end is that one's.
      const delta = runStatsDelta(current, { ...run, updatedAt: Math.max(run.updatedAt, current.updatedAt) })
      const reply = await this.scripts.commitRun(
        commitRunKeys(this.keys, current, run),
        [`${fields.version}:${fields.updatedAt}`, json, run.updatedAt, current.createdAt, ...finishedArgs(run), this.eventsPerRun, ts, ...statsArgs(delta, ts), ...encoded],
      ) as string[] | null
      if (!reply) {
        this.recent.forget(runId)
        return null
      }
      // Another transition committed, or events moved updatedAt, since: the script returned the run as it is.
      if (reply[0] === 'conflict') {
        const [, record, updatedAt, version] = reply as [string, string, string, string]
        return { stale: { record, updatedAt, version } }
      }
      const [storedUpdatedAt, version, ...ids] = reply as [string, string, ...string[]]
      this.recent.set(runId, { record: json, updatedAt: storedUpdatedAt, version: String(version) }, run.status !== 'running')
      const committed = JSON.parse(json) as RunRecord
      committed.updatedAt = Number(storedUpdatedAt)
      return { done: { run: committed, events: stamp(encoded, ids, ts) } }
    })
  }

  private async readFields(runId: string): Promise<RunFields | undefined> {
    const [record, updatedAt, version] = await this.client.hmget(this.keys.run(runId), 'record', 'updatedAt', 'version')
    return record && updatedAt && version ? { record, updatedAt, version } : undefined
  }

  async listRuns(query?: RunQuery): Promise<RunPage> {
    return listRuns(this.client, this.scripts, this.keys, query)
  }

  async runStats(since: number): Promise<RunStats> {
    return readRunStats(this.scripts, this.keys, since)
  }

  async appendEvents(runId: string, events: RunEventInput[]): Promise<RunEvent[]> {
    const ts = Date.now()
    const encoded = encodeEvents(runId, events)
    const ids = await this.scripts.appendEvents([this.keys.run(runId), this.keys.events(runId)], [ts, this.eventsPerRun, ...encoded]) as string[] | null
    if (!ids)
      throw new Error(`nvent: cannot append events to run "${runId}": no such run`)
    // As appendEvents.lua moves it.
    this.recent.update(runId, (fields) => {
      if (ts > Number(fields.updatedAt))
        fields.updatedAt = String(ts)
    })
    return stamp(encoded, ids, ts)
  }

  async readEvents(runId: string, options: { after?: string, limit?: number } = {}): Promise<RunEvent[]> {
    return readEvents(this.client, this.keys.events(runId), options)
  }

  async pruneRuns(flowName: string, keep: RunRetention): Promise<number> {
    return pruneRuns(this.scripts, this.keys, this.prefix, flowName, keep)
  }

  async listFlows(): Promise<string[]> {
    return listFlows(this.client, this.keys)
  }

  async stateGet<T = unknown>(scope: string, key: string): Promise<T | undefined> {
    return getState<T>(this.client, this.keys, scope, key)
  }

  async stateSet(scope: string, key: string, value: unknown, options?: KvSetOptions) {
    await setState(this.scripts, this.keys, scope, key, value, options)
  }

  async stateDelete(scope: string, key: string) {
    await deleteState(this.scripts, this.keys, scope, key)
  }

  async stateClear(scope: string) {
    await clearState(this.scripts, this.keys, scope)
  }

  async kvGet<T = unknown>(key: string): Promise<T | undefined> {
    return readJson<T>(this.client, this.keys.kv(key))
  }

  async kvSet(key: string, value: unknown, options: KvSetOptions = {}) {
    await writeKv(this.client, this.keys.kv(key), key, value, options, false)
  }

  async kvDelete(key: string) {
    await this.client.del(this.keys.kv(key))
  }

  async kvClaim(key: string, value: unknown, options: KvSetOptions = {}): Promise<boolean> {
    return writeKv(this.client, this.keys.kv(key), key, value, options, true)
  }

  async kvEntries<T = unknown>(prefix: string): Promise<KvEntry<T>[]> {
    return kvEntries<T>(this.client, this.keys.kvNamespace, prefix)
  }

  async logAppend<T = unknown>(log: string, data: T, options: { maxLength: number }): Promise<LogEntry<T>> {
    return appendLog(this.client, this.keys.log(log), log, data, options.maxLength)
  }

  async logRead<T = unknown>(log: string, options: { before?: string, limit?: number } = {}): Promise<LogPage<T>> {
    return readLog<T>(this.client, this.keys.log(log), options)
  }

  async close() {
    await this.lease.release()
  }
}
