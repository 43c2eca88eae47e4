import type { Job, JobCounts, JobState, KeepJobs } from '../../runtime/contracts/queue'
import type { OpBook } from './oplog'
import { type JobEntry, QueueLanes } from './queue-lanes'

/** How many finished jobs each queue keeps unless a job says otherwise. */
export interface QueueRetention {
  /** @default { count: 1000 } */
  completed?: KeepJobs
  /** @default { count: 5000 } */
  failed?: KeepJobs
}

export const DEFAULT_RETENTION = { completed: { count: 1000 }, failed: { count: 5000 } } satisfies QueueRetention

/**
 * Every change a queue can undergo. Each carries the times and ids it needs, so applying the same ops in
 * the same order always yields the same state (the file backend replays them after a restart).
 */
export type QueueOp =
  | { type: 'add', queue: string, job: Job, runAt?: number }
  | { type: 'promote', queue: string, ids: string[] }
  | { type: 'start', queue: string, id: string, at: number }
  | { type: 'complete', queue: string, id: string, at: number, returnValue: unknown }
  | { type: 'retry', queue: string, id: string, at: number, reason: string, runAt?: number }
  | { type: 'fail', queue: string, id: string, at: number, reason: string }
  | { type: 'pause' | 'resume', queue: string }
  /** After a restart: attempts that were running died with the process, so their jobs wait again. */
  | { type: 'requeueActive' }

export interface QueueSnapshot {
  clock: number
  queues: { name: string, paused: boolean, jobs: JobEntry[] }[]
}

/** The state of every queue of one adapter, changed only by `apply`. */
export class QueueBook implements OpBook<QueueOp> {
  private queues = new Map<string, QueueLanes>()
  /** Hands out turns; part of the state so that replay reproduces the order of every lane. */
  private clock = 0
  private readonly retention: Required<QueueRetention>

  constructor(retention: QueueRetention = {}) {
    this.retention = { ...DEFAULT_RETENTION, ...retention }
  }

  apply(op: QueueOp) {
    if (op.type === 'requeueActive')
      return this.requeueActive()
    const lanes = this.lanes(op.queue)
    if (op.type === 'pause' || op.type === 'resume') {
      lanes.paused = op.type === 'pause'
      return
    }
    if (op.type === 'add') {
      if (!lanes.jobs.has(op.job.id))
        this.enter(lanes, { job: op.job, turn: 0, runAt: op.runAt })
      return
    }
    if (op.type === 'promote') {
      for (const id of op.ids) this.move(lanes, id, 'delayed', () => 'waiting')
      return
    }
    const job = lanes.jobs.get(op.id)?.job
    if (!job)
      return
    if (op.type === 'start') {
      return this.move(lanes, op.id, 'waiting', () => {
        job.processedAt = op.at
        return 'active'
      })
    }
    this.move(lanes, op.id, 'active', (entry) => {
      job.attemptsMade++
      if (op.type === 'complete') {
        job.returnValue = op.returnValue
        job.finishedAt = op.at
        return 'completed'
      }
      job.failedReason = op.reason
      if (op.type === 'fail') {
        job.finishedAt = op.at
        return 'failed'
      }
      entry.runAt = op.runAt
      return op.runAt === undefined ? 'waiting' : 'delayed'
    })
    if (op.type === 'complete')
      lanes.trim('completed', job.opts.removeOnComplete ?? this.retention.completed, op.at)
    if (op.type === 'fail')
      lanes.trim('failed', job.opts.removeOnFail ?? this.retention.failed, op.at)
  }

  get(queue: string, id: string): JobEntry | undefined {
    return this.queues.get(queue)?.jobs.get(id)
  }

  isPaused(queue: string): boolean {
    return this.queues.get(queue)?.paused ?? false
  }

  nextWaiting(queue: string): string | undefined {
    return this.queues.get(queue)?.nextWaiting()
  }

  counts(queue: string): JobCounts {
    return this.queues.get(queue)?.counts() ?? { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 }
  }

  /** Jobs in `states`, newest first. */
  list(queue: string, states: readonly JobState[], offset: number, limit: number): Job[] {
    const entries = [...this.queues.get(queue)?.jobs.values() ?? []].reverse()
    return entries.filter(e => states.includes(e.job.state)).slice(offset, offset + limit).map(e => e.job)
  }

  /** Delayed jobs runnable at `now`, and when the next of the others becomes runnable. */
  dueDelayed(queue: string, now: number): { due: string[], next?: number } {
    const lanes = this.queues.get(queue)
    const due: string[] = []
    let next: number | undefined
    for (const id of lanes?.delayedIds() ?? []) {
      const runAt = lanes!.jobs.get(id)!.runAt ?? now
      if (runAt <= now)
        due.push(id)
      else if (next === undefined || runAt < next)
        next = runAt
    }
    return { due, next }
  }

  queueNames(): string[] {
    return [...this.queues.keys()]
  }

  hasActive(): boolean {
    return [...this.queues.values()].some(lanes => lanes.counts().active > 0)
  }

  snapshot(): QueueSnapshot {
    const queues = [...this.queues].map(([name, lanes]) => ({ name, paused: lanes.paused, jobs: [...lanes.jobs.values()] }))
    return { clock: this.clock, queues }
  }

  restore(snapshot: QueueSnapshot) {
    this.queues = new Map()
    this.clock = snapshot.clock
    for (const { name, paused, jobs } of snapshot.queues) {
      const lanes = this.lanes(name)
      lanes.paused = paused
      for (const entry of jobs) lanes.jobs.set(entry.job.id, entry)
      // Lanes keep insertion order, so filing by turn restores each lane's order.
      for (const entry of [...jobs].sort((a, b) => a.turn - b.turn)) lanes.place(entry)
    }
  }

  private requeueActive() {
    for (const lanes of this.queues.values()) {
      for (const id of lanes.activeIds()) this.move(lanes, id, 'active', () => 'waiting')
    }
  }

  private lanes(queue: string): QueueLanes {
    let lanes = this.queues.get(queue)
    if (!lanes)
      this.queues.set(queue, lanes = new QueueLanes())
    return lanes
  }

  private enter(lanes: QueueLanes, entry: JobEntry) {
    entry.turn = ++this.clock
    lanes.jobs.set(entry.job.id, entry)
    lanes.place(entry)
  }

  /** Moves a job that is in state `from` to the state `change` returns; ignores it in any other state. */
  private move(lanes: QueueLanes, id: string, from: JobState, change: (entry: JobEntry) => JobState) {
    const entry = lanes.jobs.get(id)
    if (entry?.job.state !== from)
      return
    lanes.unplace(entry)
    entry.job.state = change(entry)
    if (entry.job.state !== 'delayed')
      entry.runAt = undefined
    this.enter(lanes, entry)
  }
}
