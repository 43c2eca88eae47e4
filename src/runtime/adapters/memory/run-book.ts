/**
 * The store book's runs: each with its capped event log, indexed by creation across flows and per flow,
 * with the counters `runStats` reads kept in step by every change.
 */
import type { RunMinute } from '../../contracts/store'
import type { RunEvent, RunRecord } from '../../types/run'
import { runStatsDelta } from '../shared/run-stats'
import { RunCounters } from './run-counters'
import { RunIndex } from './run-index'

export interface RunEntry {
  run: RunRecord
  /** The run's log, oldest first: its last `eventsPerRun` events, and at times up to as many older ones. */
  events: RunEvent[]
  /** Events ever appended: the next event's sequence is one more, whatever the cap dropped. */
  eventCount: number
  /** Creation order, breaking ties between runs created in the same millisecond. */
  order: number
}

/** How runs are kept in a snapshot; `eventCount` is absent in snapshots written before logs were capped. */
export type RunSnapshot = Omit<RunEntry, 'eventCount'> & { eventCount?: number }

export class RunBook {
  private readonly runs = new Map<string, RunEntry>()
  /** Every run, oldest created first. */
  readonly created = new RunIndex()
  private readonly flows = new Map<string, RunIndex>()
  readonly counters = new RunCounters()
  private order = 0

  constructor(readonly eventsPerRun: number) {}

  get(runId: string): RunEntry | undefined {
    return this.runs.get(runId)
  }

  has(runId: string): boolean {
    return this.runs.has(runId)
  }

  /** Creates or replaces the run's record, then appends `events` to its log. */
  put(run: RunRecord, events: RunEvent[]) {
    let entry = this.runs.get(run.id)
    this.counters.apply(runStatsDelta(entry?.run ?? null, run))
    if (!entry) {
      this.runs.set(run.id, entry = { run, events: [], eventCount: 0, order: ++this.order })
      this.index(entry)
    }
    else if (entry.run.createdAt !== run.createdAt || entry.run.flowName !== run.flowName) {
      // The indexes are sorted by these: a record that changes them is filed again.
      this.unindex(entry)
      entry.run = run
      this.index(entry)
    }
    else {
      entry.run = run
    }
    this.addEvents(entry, events)
  }

  /**
   * Appends to the run's log. The cap is kept lazily: the log may grow to twice the cap before its oldest
   * events go, so that appending at the cap costs no shift of the whole log each time.
   */
  addEvents(entry: RunEntry, events: RunEvent[]) {
    entry.events.push(...events)
    entry.eventCount += events.length
    if (entry.events.length >= 2 * this.eventsPerRun)
      entry.events.splice(0, entry.events.length - this.eventsPerRun)
  }

  /** Removes runs with their logs; a flow left without runs is no longer listed. */
  drop(runIds: string[]) {
    const flows = new Set<string>()
    for (const runId of runIds) {
      const entry = this.runs.get(runId)
      if (entry && this.runs.delete(runId)) {
        this.counters.apply(runStatsDelta(entry.run, null))
        flows.add(entry.run.flowName)
      }
    }
    const kept = (entry: RunEntry) => this.runs.get(entry.run.id) === entry
    this.created.retain(kept)
    for (const flow of flows) {
      const runs = this.flows.get(flow)!
      runs.retain(kept)
      if (runs.size === 0)
        this.flows.delete(flow)
    }
  }

  /** The flow's runs by creation, or undefined if it has none. */
  flowIndex(flowName: string): RunIndex | undefined {
    return this.flows.get(flowName)
  }

  /** The flow's runs, oldest created first. */
  runsOf(flowName: string): readonly RunEntry[] {
    return this.flows.get(flowName)?.all() ?? []
  }

  /** Every flow that has runs. */
  flowNames(): string[] {
    return [...this.flows.keys()]
  }

  /** The run's log as readers see it: its last `eventsPerRun` events. */
  eventsOf(runId: string): readonly RunEvent[] {
    const events = this.runs.get(runId)?.events ?? []
    return events.length > this.eventsPerRun ? events.slice(-this.eventsPerRun) : events
  }

  snapshot(): { order: number, runs: RunSnapshot[], minutes: RunMinute[] } {
    const runs = [...this.runs.values()].map(entry => ({ ...entry, events: [...this.eventsOf(entry.run.id)] }))
    return { order: this.order, runs, minutes: this.counters.snapshot() }
  }

  /** Rebuilds the runs, their indexes (sorted once) and their counts; `minutes` is absent in older snapshots. */
  restore(order: number, runs: RunSnapshot[], minutes?: RunMinute[]) {
    this.runs.clear()
    this.flows.clear()
    this.order = order
    const byFlow = new Map<string, RunEntry[]>()
    for (const saved of runs) {
      const entry = { ...saved, eventCount: saved.eventCount ?? saved.events.length }
      this.runs.set(entry.run.id, entry)
      const entries = byFlow.get(entry.run.flowName) ?? []
      byFlow.set(entry.run.flowName, entries)
      entries.push(entry)
    }
    this.created.reset([...this.runs.values()])
    for (const [flow, entries] of byFlow) {
      const index = new RunIndex()
      index.reset(entries)
      this.flows.set(flow, index)
    }
    this.counters.restore([...this.runs.values()].map(entry => entry.run), minutes)
  }

  private index(entry: RunEntry) {
    this.created.add(entry)
    const runs = this.flows.get(entry.run.flowName) ?? new RunIndex()
    this.flows.set(entry.run.flowName, runs)
    runs.add(entry)
  }

  private unindex(entry: RunEntry) {
    this.created.remove(entry)
    const runs = this.flows.get(entry.run.flowName)!
    runs.remove(entry)
    if (runs.size === 0)
      this.flows.delete(entry.run.flowName)
  }
}
