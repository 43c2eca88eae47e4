import type { LogEntry, RunMinute } from '../../contracts/store'
import type { RunEvent, RunRecord } from '../../types/run'
import { eventsCap } from '../shared/logs'
import type { OpBook } from './oplog'
import type { RunSnapshot } from './run-book'
import { RunBook } from './run-book'
import type { StateSnapshot } from './state-space'
import { StateSpace } from './state-space'

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
  | { type: 'stateSet', scope: string, key: string, value: unknown, expiresAt?: number }
  | { type: 'stateDelete', scope: string, key: string }
  | { type: 'stateClear', scope: string }
  /** Removes runs with their event logs and state; the ids are chosen before, so replay removes the same. */
  | { type: 'dropRuns', runIds: string[] }

export interface KvEntry {
  value: unknown
  expiresAt?: number
}

export interface StoreSnapshot {
  order: number
  runs: RunSnapshot[]
  /** The per-minute history of `runStats`; absent in snapshots written before it existed. Counts are recounted from `runs`. */
  minutes?: RunMinute[]
  kv: [string, KvEntry][]
  /** Absent in snapshots written before named logs existed. */
  logs?: [string, LogEntry[]][]
  /** Absent in snapshots written before run state had its own space. */
  state?: StateSnapshot
}

/** Event ids are the run's event sequence, zero-padded so that they also sort as strings. */
export function eventId(sequence: number): string {
  return String(sequence).padStart(12, '0')
}

/** Runs, their event logs and state, the key-value space and the named logs, changed only by `apply`. */
export class StoreBook implements OpBook<StoreOp> {
  readonly runs: RunBook
  kv = new Map<string, KvEntry>()
  /** Each named log's entries, oldest first. Never empty once created: the cap is at least 1. */
  logs = new Map<string, LogEntry[]>()
  readonly state = new StateSpace()

  constructor(eventsPerRun?: number) {
    this.runs = new RunBook(eventsCap(eventsPerRun))
  }

  apply(op: StoreOp) {
    switch (op.type) {
      case 'putRun':
        return this.runs.put(op.run, op.events)
      case 'appendEvents': {
        const entry = this.runs.get(op.runId)
        if (!entry)
          return
        // Replace rather than mutate: records handed out earlier stay as they were.
        entry.run = { ...entry.run, updatedAt: op.updatedAt }
        return this.runs.addEvents(entry, op.events)
      }
      case 'stateSet':
        return this.state.set(op.scope, op.key, { value: op.value, expiresAt: op.expiresAt })
      case 'stateDelete':
        return this.state.delete(op.scope, op.key)
      case 'stateClear':
        return this.state.clear(op.scope)
      case 'dropRuns':
        this.runs.drop(op.runIds)
        return op.runIds.forEach(runId => this.state.clear(runId))
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

  /** The live entry of `key`, or undefined if absent or expired at `now`. */
  kvEntry(key: string, now: number): KvEntry | undefined {
    const entry = this.kv.get(key)
    return entry && (entry.expiresAt === undefined || entry.expiresAt > now) ? entry : undefined
  }

  /** Forgets expired keys and state. Invisible to readers, so it needs no op. */
  sweepExpired(now: number) {
    for (const key of this.kv.keys()) {
      if (!this.kvEntry(key, now))
        this.kv.delete(key)
    }
    this.state.sweepExpired(now)
  }

  snapshot(): StoreSnapshot {
    this.sweepExpired(Date.now())
    return { ...this.runs.snapshot(), kv: [...this.kv], logs: [...this.logs], state: this.state.snapshot() }
  }

  restore(snapshot: StoreSnapshot) {
    this.runs.restore(snapshot.order, snapshot.runs, snapshot.minutes)
    this.kv = new Map(snapshot.kv)
    this.logs = new Map(snapshot.logs ?? [])
    this.state.restore(snapshot.state)
  }
}
