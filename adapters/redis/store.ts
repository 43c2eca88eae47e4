import type { KvEntry, KvSetOptions, LogEntry, LogPage, RunMutation, RunQuery, RunRetention, StoreAdapter } from '../../runtime/contracts/store'
import type { RunEvent, RunEventInput, RunPage, RunRecord } from '../../runtime/types/run'
import type { RedisLease } from './connection'
import { toJson } from './json'
import { kvEntries } from './kv-entries'
import { listRuns, parseRecord } from './run-pages'
import { type StoreScripts, storeScripts } from './scripts'
import { type StoreKeys, storeKeys } from './store-keys'
import { encodeEvents, readEvents, stamp } from './store-events'
import { appendLog, readLog } from './store-logs'
import { finishedArgs, finishedIndexes, listFlows, pruneRuns } from './store-retention'
import { readJson, writeKv } from './store-kv'
import { clearState, deleteState, getState, setState } from './store-state'

/**
 * The store on Redis. A run is a hash holding its JSON record, changed only by the Lua scripts in
 * `./lua`, each of which writes the record, the run's indexes and its event stream together.
 * `updateRun` is optimistic: it computes the transition from the record it read and commits only if
 * the record's version is still the same, computing again otherwise. Every write of events trims the
 * run's stream to its last `eventsPerRun` events, and finished runs are indexed by finishedAt for pruning.
 */
export class RedisStore implements StoreAdapter {
  private readonly keys: StoreKeys
  private readonly scripts: StoreScripts

  constructor(private readonly lease: RedisLease, private readonly prefix: string, private readonly eventsPerRun: number) {
    this.keys = storeKeys(prefix)
    this.scripts = storeScripts(lease.client)
  }

  private get client() {
    return this.lease.client
  }

  async createRun(run: RunRecord, events: RunEventInput[]): Promise<RunEvent[] | null> {
    const { keys } = this
    const ts = Date.now()
    const encoded = encodeEvents(run.id, events)
    const ids = await this.scripts.createRun(
      [keys.run(run.id), keys.events(run.id), keys.flowRuns(run.flowName), keys.statusRuns(run.flowName, run.status), keys.runSequence, keys.flows, ...finishedIndexes(keys, run.flowName)],
      [toJson(run, `run "${run.id}"`), run.updatedAt, run.createdAt, run.id, run.flowName, ...finishedArgs(run), this.eventsPerRun, ts, ...encoded],
    ) as string[] | null
    return ids && stamp(encoded, ids, ts)
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    return parseRecord(await this.client.hmget(this.keys.run(runId), 'record', 'updatedAt'))
  }

  async updateRun(runId: string, mutate: RunMutation) {
    const { keys } = this
    while (true) {
      const [record, updatedAt, version] = await this.client.hmget(keys.run(runId), 'record', 'updatedAt', 'version')
      const current = parseRecord([record, updatedAt])
      const transition = current && mutate(current)
      if (!transition)
        return null
      const { run } = transition
      const json = toJson(run, `run "${runId}"`)
      const ts = Date.now()
      const encoded = encodeEvents(runId, transition.events)
      const reply = await this.scripts.commitRun(
        [keys.run(runId), keys.events(runId), keys.statusRuns(current.flowName, current.status), keys.statusRuns(current.flowName, run.status), ...finishedIndexes(keys, current.flowName)],
        [version!, json, run.updatedAt, current.createdAt, ...finishedArgs(run), this.eventsPerRun, ts, ...encoded],
      ) as string[] | null
      // Another transition committed since the read: compute again from the fresh record.
      if (!reply)
        continue
      const [storedUpdatedAt, ...ids] = reply
      const committed = JSON.parse(json) as RunRecord
      committed.updatedAt = Number(storedUpdatedAt)
      return { run: committed, events: stamp(encoded, ids, ts) }
    }
  }

  async listRuns(flowName: string, query: RunQuery = {}): Promise<RunPage> {
    return listRuns(this.client, this.scripts, this.keys, flowName, query)
  }

  async appendEvents(runId: string, events: RunEventInput[]): Promise<RunEvent[]> {
    const ts = Date.now()
    const encoded = encodeEvents(runId, events)
    const ids = await this.scripts.appendEvents([this.keys.run(runId), this.keys.events(runId)], [ts, this.eventsPerRun, ...encoded]) as string[] | null
    if (!ids)
      throw new Error(`nvent: cannot append events to run "${runId}": no such run`)
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
