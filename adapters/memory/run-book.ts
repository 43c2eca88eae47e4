/** The store book's runs: each with its capped event log, indexed by flow in creation order. */
import type { RunEvent, RunRecord } from '../../runtime/types/run'

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
  private readonly flows = new Map<string, RunEntry[]>()
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
    const entry = this.runs.get(run.id)
    if (entry)
      entry.run = run
    else
      this.track({ run, events: [], eventCount: 0, order: ++this.order })
    this.addEvents(this.runs.get(run.id)!, events)
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
      if (entry && this.runs.delete(runId))
        flows.add(entry.run.flowName)
    }
    for (const flow of flows) {
      const left = this.flows.get(flow)!.filter(entry => this.runs.has(entry.run.id))
      if (left.length > 0)
        this.flows.set(flow, left)
      else
        this.flows.delete(flow)
    }
  }

  /** The flow's runs, oldest first. */
  runsOf(flowName: string): readonly RunEntry[] {
    return this.flows.get(flowName) ?? []
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

  snapshot(): { order: number, runs: RunSnapshot[] } {
    return { order: this.order, runs: [...this.runs.values()].map(entry => ({ ...entry, events: [...this.eventsOf(entry.run.id)] })) }
  }

  restore(order: number, runs: RunSnapshot[]) {
    this.runs.clear()
    this.flows.clear()
    this.order = order
    for (const entry of runs) this.track({ ...entry, eventCount: entry.eventCount ?? entry.events.length })
  }

  private track(entry: RunEntry) {
    this.runs.set(entry.run.id, entry)
    const runs = this.flows.get(entry.run.flowName) ?? []
    this.flows.set(entry.run.flowName, runs)
    runs.push(entry)
  }
}
