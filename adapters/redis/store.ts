import type { KvEntry, KvSetOptions, LogEntry, LogPage, RunMutation, RunQuery, StoreAdapter } from '../../runtime/contracts/store'
import type { RunEvent, RunEventInput, RunPage, RunRecord } from '../../runtime/types/run'
import type { RedisLease } from './connection'
import { toJson } from './json'
import { kvEntries } from './kv-entries'
import { listRuns, parseRecord } from './run-pages'
import { type StoreScripts, storeScripts } from './scripts'
import { type StoreKeys, storeKeys } from './store-keys'
import { appendLog, readLog } from './store-logs'

/**
 * The store on Redis. A run is a hash holding its JSON record, changed only by the Lua scripts in
 * `./lua`, each of which writes the record, the run's indexes and its event stream together.
 * `updateRun` is optimistic: it computes the transition from the record it read and commits only if
 * the record's version is still the same, computing again otherwise.
 */
export class RedisStore implements StoreAdapter {
  private readonly keys: StoreKeys
  private readonly scripts: StoreScripts

  constructor(private readonly lease: RedisLease, prefix: string) {
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
      [keys.run(run.id), keys.events(run.id), keys.flowRuns(run.flowName), keys.statusRuns(run.flowName, run.status), keys.runSequence],
      [toJson(run, `run "${run.id}"`), run.updatedAt, run.createdAt, run.id, ts, ...encoded],
    ) as string[] | null
    return ids && stamp(events, ids, ts)
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
      const reply = await this.scripts.commitRun(
        [keys.run(runId), keys.events(runId), keys.statusRuns(current.flowName, current.status), keys.statusRuns(current.flowName, run.status)],
        [version!, json, run.updatedAt, current.createdAt, ts, ...encodeEvents(runId, transition.events)],
      ) as string[] | null
      // Another transition committed since the read: compute again from the fresh record.
      if (!reply)
        continue
      const [storedUpdatedAt, ...ids] = reply
      const committed = JSON.parse(json) as RunRecord
      committed.updatedAt = Number(storedUpdatedAt)
      return { run: committed, events: stamp(transition.events, ids, ts) }
    }
  }

  async listRuns(flowName: string, query: RunQuery = {}): Promise<RunPage> {
    return listRuns(this.client, this.scripts, this.keys, flowName, query)
  }

  async appendEvents(runId: string, events: RunEventInput[]): Promise<RunEvent[]> {
    const ts = Date.now()
    const ids = await this.scripts.appendEvents([this.keys.run(runId), this.keys.events(runId)], [ts, ...encodeEvents(runId, events)]) as string[] | null
    if (!ids)
      throw new Error(`nvent: cannot append events to run "${runId}": no such run`)
    return stamp(events, ids, ts)
  }

  async readEvents(runId: string, options: { after?: string, limit?: number } = {}): Promise<RunEvent[]> {
    const start = options.after === undefined ? '-' : `(${options.after}`
    const key = this.keys.events(runId)
    const entries = options.limit === undefined
      ? await this.client.xrange(key, start, '+')
      : await this.client.xrange(key, start, '+', 'COUNT', options.limit)
    return entries.map(([id, fields]) => {
      const values = fieldMap(fields)
      return { ...JSON.parse(values.event!) as RunEventInput, id, ts: Number(values.ts) }
    })
  }

  async kvGet<T = unknown>(key: string): Promise<T | undefined> {
    const value = await this.client.get(this.keys.kv(key))
    return value === null ? undefined : JSON.parse(value) as T
  }

  async kvSet(key: string, value: unknown, options: KvSetOptions = {}) {
    const json = toJson(value, `the value of key "${key}"`)
    if (options.ttl === undefined)
      await this.client.set(this.keys.kv(key), json)
    else
      await this.client.set(this.keys.kv(key), json, 'PX', ttlMs(options.ttl))
  }

  async kvDelete(key: string) {
    await this.client.del(this.keys.kv(key))
  }

  async kvClaim(key: string, value: unknown, options: KvSetOptions = {}): Promise<boolean> {
    const json = toJson(value, `the value of key "${key}"`)
    const reply = options.ttl === undefined
      ? await this.client.set(this.keys.kv(key), json, 'NX')
      : await this.client.set(this.keys.kv(key), json, 'PX', ttlMs(options.ttl), 'NX')
    return reply === 'OK'
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

function encodeEvents(runId: string, events: RunEventInput[]): string[] {
  return events.map(event => toJson(event, `an event of run "${runId}"`))
}

/** The events as stored: copies (the caller's objects stay theirs) with their stream ids and time. */
function stamp(events: RunEventInput[], ids: string[], ts: number): RunEvent[] {
  return events.map((event, i) => ({ ...JSON.parse(JSON.stringify(event)) as RunEventInput, id: ids[i]!, ts }))
}

/** Redis wants a whole, positive number of milliseconds; a TTL is never cut short by rounding. */
function ttlMs(ttl: number): number {
  return Math.max(1, Math.ceil(ttl))
}

function fieldMap(fields: string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (let i = 0; i < fields.length; i += 2) values[fields[i]!] = fields[i + 1]!
  return values
}
