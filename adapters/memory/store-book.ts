import type { LogEntry } from '../../runtime/contracts/store'
import type { RunEvent, RunRecord } from '../../runtime/types/run'
import type { OpBook } from './oplog'

/**
 * Every change the store can undergo, with ids and times already assigned, so replaying the same ops
 * rebuilds the same state.
 */
export type StoreOp =
  /** Creates or replaces a run record and appends the events of that transition. */
  | { type: 'putRun', run: RunRecord, events: RunEvent[] }
  | { type: 'appendEvents', runId: string, events: RunEvent[], updatedAt: number }
  | { type: 'kvSet', key: string, value: unknown, expiresAt?: number }
  | { type: 'kvDelete', key: string }
  /** Carries the cap rather than the entries to drop, so replay trims exactly as the live append did. */
  | { type: 'logAppend', log: string, entry: LogEntry, maxLength: number }

export interface RunEntry {
  run: RunRecord
  events: RunEvent[]
  /** Creation order, breaking ties between runs created in the same millisecond. */
  order: number
}

export interface KvEntry {
  value: unknown
  expiresAt?: number
}

export interface StoreSnapshot {
  order: number
  runs: RunEntry[]
  kv: [string, KvEntry][]
  /** Absent in snapshots written before named logs existed. */
  logs?: [string, LogEntry[]][]
}

/** Event ids are the run's event sequence, zero-padded so that they also sort as strings. */
export function eventId(sequence: number): string {
  return String(sequence).padStart(12, '0')
}

/** Runs, their event logs, the key-value space and the named logs, changed only by `apply`. */
export class StoreBook implements OpBook<StoreOp> {
  runs = new Map<string, RunEntry>()
  kv = new Map<string, KvEntry>()
  /** Each named log's entries, oldest first. Never empty once created: the cap is at least 1. */
  logs = new Map<string, LogEntry[]>()
  private readonly flows = new Map<string, RunEntry[]>()
  private order = 0

  apply(op: StoreOp) {
    switch (op.type) {
      case 'putRun': {
        const entry = this.runs.get(op.run.id)
        if (entry)
          entry.run = op.run
        else
          this.track({ run: op.run, events: [], order: ++this.order })
        return this.runs.get(op.run.id)!.events.push(...op.events)
      }
      case 'appendEvents': {
        const entry = this.runs.get(op.runId)
        if (!entry)
          return
        // Replace rather than mutate: records handed out earlier stay as they were.
        entry.run = { ...entry.run, updatedAt: op.updatedAt }
        return entry.events.push(...op.events)
      }
      case 'kvSet':
        return this.kv.set(op.key, { value: op.value, expiresAt: op.expiresAt })
      case 'kvDelete':
        return this.kv.delete(op.key)
      case 'logAppend': {
        const entries = this.logs.get(op.log) ?? []
        this.logs.set(op.log, entries)
        entries.push(op.entry)
        if (entries.length > op.maxLength)
          entries.splice(0, entries.length - op.maxLength)
      }
    }
  }

  /** The flow's runs, oldest first. */
  runsOf(flowName: string): readonly RunEntry[] {
    return this.flows.get(flowName) ?? []
  }

  /** The live entry of `key`, or undefined if absent or expired at `now`. */
  kvEntry(key: string, now: number): KvEntry | undefined {
    const entry = this.kv.get(key)
    return entry && (entry.expiresAt === undefined || entry.expiresAt > now) ? entry : undefined
  }

  /** Forgets expired keys. Invisible to readers, so it needs no op. */
  sweepExpired(now: number) {
    for (const key of this.kv.keys()) {
      if (!this.kvEntry(key, now))
        this.kv.delete(key)
    }
  }

  snapshot(): StoreSnapshot {
    this.sweepExpired(Date.now())
    return { order: this.order, runs: [...this.runs.values()], kv: [...this.kv], logs: [...this.logs] }
  }

  restore(snapshot: StoreSnapshot) {
    this.runs = new Map()
    this.flows.clear()
    this.order = snapshot.order
    for (const entry of snapshot.runs) this.track(entry)
    this.kv = new Map(snapshot.kv)
    this.logs = new Map(snapshot.logs ?? [])
  }

  private track(entry: RunEntry) {
    this.runs.set(entry.run.id, entry)
    const runs = this.flows.get(entry.run.flowName) ?? []
    this.flows.set(entry.run.flowName, runs)
    runs.push(entry)
  }
}
