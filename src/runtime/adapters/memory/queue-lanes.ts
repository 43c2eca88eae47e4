import type { Job, JobCounts, JobState, KeepJobs } from '../../contracts/queue'
import { FifoSet } from './fifo-set'

/** A job with the bookkeeping the queue needs and callers never see. */
export interface JobEntry {
  job: Job
  /** When the job joined its current lane; a lower turn joined earlier (FIFO, finish order). */
  turn: number
  /** When a delayed job becomes runnable, in ms since the epoch. */
  runAt?: number
}

/** Waiting jobs without a priority run after every prioritized one. */
const UNPRIORITIZED = Number.POSITIVE_INFINITY

/** One queue's jobs, indexed by state in the order they must be served. */
export class QueueLanes {
  /** Every job, in the order they were added. */
  readonly jobs = new Map<string, JobEntry>()
  paused = false
  private readonly waiting = new Map<number, FifoSet>()
  private readonly delayed = new Set<string>()
  private readonly active = new Set<string>()
  private readonly completed = new Set<string>()
  private readonly failed = new Set<string>()

  /** Files the entry under its job's state, behind the ones already there. */
  place(entry: JobEntry) {
    const { job } = entry
    if (job.state !== 'waiting')
      return this.lane(job.state).add(job.id)
    const priority = job.opts.priority ?? UNPRIORITIZED
    const ids = this.waiting.get(priority) ?? new FifoSet()
    this.waiting.set(priority, ids.add(job.id))
  }

  /** Takes the entry out of its state's index; call before changing its state. */
  unplace(entry: JobEntry) {
    const { job } = entry
    if (job.state !== 'waiting')
      return this.lane(job.state).delete(job.id)
    const priority = job.opts.priority ?? UNPRIORITIZED
    const ids = this.waiting.get(priority)
    ids?.delete(job.id)
    if (ids?.size === 0)
      this.waiting.delete(priority)
  }

  /** Whether the job exists and is not running: a running job's worker is about to record how it ended. */
  removable(id: string): boolean {
    const state = this.jobs.get(id)?.job.state
    return state !== undefined && state !== 'active'
  }

  remove(id: string) {
    if (!this.removable(id))
      return
    this.unplace(this.jobs.get(id)!)
    this.jobs.delete(id)
  }

  /** The waiting job to start next: best priority first, then first come. */
  nextWaiting(): string | undefined {
    let best: number | undefined
    for (const priority of this.waiting.keys()) {
      if (best === undefined || priority < best)
        best = priority
    }
    return best === undefined ? undefined : this.waiting.get(best)!.first()
  }

  delayedIds(): Iterable<string> {
    return this.delayed
  }

  activeIds(): string[] {
    return [...this.active]
  }

  counts(): JobCounts {
    let waiting = 0
    for (const ids of this.waiting.values()) waiting += ids.size
    return {
      waiting,
      delayed: this.delayed.size,
      active: this.active.size,
      completed: this.completed.size,
      failed: this.failed.size,
    }
  }

  /** Removes the oldest finished jobs of `state` beyond what `keep` allows at time `at`. */
  trim(state: 'completed' | 'failed', keep: KeepJobs, at: number) {
    const ids = this.lane(state)
    for (const id of ids) {
      const tooMany = keep.count !== undefined && ids.size > keep.count
      const finishedAt = this.jobs.get(id)!.job.finishedAt ?? at
      const tooOld = keep.age !== undefined && finishedAt <= at - keep.age
      if (!tooMany && !tooOld)
        return
      ids.delete(id)
      this.jobs.delete(id)
    }
  }

  private lane(state: Exclude<JobState, 'waiting'>): Set<string> {
    return this[state]
  }
}
