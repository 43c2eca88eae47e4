import type { Job, JobCounts, JobState, KeepJobs } from '../../contracts/queue'
import type { OpBook } from './oplog'
import { type JobEntry, QueueLanes } from './queue-lanes'

/**
 * Every change a queue can undergo. Each carries the times and ids it needs, so applying the same ops in
 * the same order always yields the same state (the file backend replays them after a restart). Finishing
 * ops carry the retention to apply, so a replay under another configuration still rebuilds the same state.
 */
export type QueueOp =
  | { type: 'add', queue: string, job: Job, runAt?: number }
  | { type: 'promote', queue: string, ids: string[] }
  | { type: 'start', queue: string, id: string, at: number }
  | { type: 'complete', queue: string, id: string, at: number, returnValue: unknown, keep: KeepJobs }
  | { type: 'retry', queue: string, id: string, at: number, reason: string, runAt?: number }
  | { type: 'fail', queue: string, id: string, at: number, reason: string, keep: KeepJobs }
  /** A failed job sent back by hand (`retryJob`), with a fresh set of attempts. */
  | { type: 'retryFailed', queue: string, id: string }
  /** `removeJob`: a job that is not running leaves the queue. */
  | { type: 'remove', queue: string, id: string }
  | { type: 'pause', queue: string }
  | { type: 'resume', queue: string }
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

  apply(op: QueueOp) {
    if (op.type === 'requeueActive')
      return this.requeueActive()
    const lanes = this.lanes(op.queue)
    switch (op.type) {
      case 'pause':
      case 'resume':
        lanes.paused = op.type === 'pause'
        return
      case 'add':
        if (!lanes.jobs.has(op.job.id))
          this.enter(lanes, { job: op.job, turn: 0, runAt: op.runAt })
        return
      case 'promote':
        for (const id of op.ids) this.move(lanes, id, 'delayed', () => 'waiting')
        return
      case 'start':
        return this.move(lanes, op.id, 'waiting', ({ job }) => {
          job.processedAt = op.at
          return 'active'
        })
      case 'complete':
        this.move(lanes, op.id, 'active', ({ job }) => {
          job.attemptsMade++
          job.returnValue = op.returnValue
          job.finishedAt = op.at
          return 'completed'
        })
        return this.trim(lanes, op.id, 'completed', op.keep, op.at)
      case 'fail':
        this.move(lanes, op.id, 'active', ({ job }) => {
          job.attemptsMade++
          job.failedReason = op.reason
          job.finishedAt = op.at
          return 'failed'
        })
        return this.trim(lanes, op.id, 'failed', op.keep, op.at)
      case 'retry':
        return this.move(lanes, op.id, 'active', (entry) => {
          entry.job.attemptsMade++
          entry.job.failedReason = op.reason
          entry.runAt = op.runAt
          return op.runAt === undefined ? 'waiting' : 'delayed'
        })
      case 'retryFailed':
        return this.move(lanes, op.id, 'failed', ({ job }) => {
          job.attemptsMade = 0
          delete job.failedReason
          delete job.processedAt
          delete job.finishedAt
          return 'waiting'
        })
      case 'remove':
        return lanes.remove(op.id)
    }
  }

  get(queue: string, id: string): JobEntry | undefined {
    return this.queues.get(queue)?.jobs.get(id)
  }

  removable(queue: string, id: string): boolean {
    return this.queues.get(queue)?.removable(id) ?? false
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

  /** Trims the finished jobs of the state the job `id` just entered, if it did. */
  private trim(lanes: QueueLanes, id: string, state: 'completed' | 'failed', keep: KeepJobs, at: number) {
    if (lanes.jobs.get(id)?.job.state === state)
      lanes.trim(state, keep, at)
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
