/** Translation between the contract's jobs and BullMQ's. */
import type { Job as BullJob, JobState as BullState, JobsOptions, KeepJobs as BullKeepJobs } from 'bullmq'
import { PRIORITY_LIMIT } from 'bullmq'
import type { Job, JobOptions, JobState, KeepJobs } from '../../contracts/queue'
import { decodeJobId, encodeJobId } from './job-id'

/**
 * BullMQ serves jobs without a priority before prioritized ones; the contract wants them after. So every
 * job gets a priority, the unprioritized ones BullMQ's lowest (FIFO among themselves like any other).
 */
export const UNPRIORITIZED = PRIORITY_LIMIT

/**
 * What nvent keeps in a BullMQ job's options beside BullMQ's own: the options as the caller gave them
 * (so `Job.opts` reads back exactly), and the creation order that lists newest first.
 */
export interface JobMeta {
  opts: JobOptions
  /** A decimal string: BullMQ re-encodes options in Lua, which keeps only 14 digits of a number. */
  order: string
}

type BullOptions = JobsOptions & { nvent: JobMeta }

let lastOrder = 0

/**
 * Creation order: milliseconds scaled up so that jobs added in the same millisecond by this process
 * still sort in the order they were added. Across processes, the clock decides.
 */
export function nextOrder(): string {
  lastOrder = Math.max(lastOrder + 1, Date.now() * 1024)
  return String(lastOrder)
}

export function toBullOptions(id: string, opts: JobOptions): BullOptions {
  const bull: BullOptions = {
    jobId: encodeJobId(id),
    priority: opts.priority ?? UNPRIORITIZED,
    nvent: { opts, order: nextOrder() },
  }
  if (opts.delay)
    bull.delay = opts.delay
  if (opts.attempts)
    bull.attempts = opts.attempts
  // Same shape, same meaning: fixed waits `delay`, exponential `delay * 2^(attempt-1)`.
  if (opts.backoff)
    bull.backoff = { type: opts.backoff.type, delay: opts.backoff.delay }
  if (opts.removeOnComplete)
    bull.removeOnComplete = toBullKeep(opts.removeOnComplete)
  if (opts.removeOnFail)
    bull.removeOnFail = toBullKeep(opts.removeOnFail)
  return bull
}

/** BullMQ counts age in seconds (fractions work: its scripts multiply by 1000). */
export function toBullKeep(keep: KeepJobs): BullKeepJobs {
  const bull: { count?: number, age?: number } = {}
  if (keep.count !== undefined)
    bull.count = keep.count
  if (keep.age !== undefined)
    bull.age = keep.age / 1000
  return bull as BullKeepJobs
}

/** The contract's state of a BullMQ state; undefined for a job that is gone. */
export function toJobState(state: BullState | 'unknown'): JobState | undefined {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting'
    case 'unknown':
      return undefined
    default:
      return state
  }
}

export function jobMeta(bull: BullJob): JobMeta | undefined {
  return (bull.opts as Partial<BullOptions>).nvent
}

export function toJob(queue: string, bull: BullJob, state: JobState): Job {
  const job: Job = {
    id: decodeJobId(bull.id!),
    queue,
    name: bull.name,
    data: bull.data,
    opts: jobMeta(bull)?.opts ?? {},
    state,
    attemptsMade: bull.attemptsMade,
    createdAt: bull.timestamp,
  }
  if (bull.processedOn)
    job.processedAt = bull.processedOn
  if (bull.finishedOn && (state === 'completed' || state === 'failed'))
    job.finishedAt = bull.finishedOn
  if (bull.failedReason)
    job.failedReason = bull.failedReason
  if (state === 'completed')
    job.returnValue = bull.returnvalue
  return job
}
