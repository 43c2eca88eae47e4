/** How nvent's jobs map onto pg-boss's: ids, priorities, delays, retries, and rows back to `Job`. */
import { createHash } from 'node:crypto'
import type PgBoss from 'pg-boss'
import type { Job, JobOptions, JobState } from '../../contracts/queue'
import { CRASH_REDELIVERIES } from '../shared/crash-recovery'

/** What nvent keeps in pg-boss's `data` column: the job as the caller gave it. */
export interface StoredJob {
  id: string
  name: string
  data: unknown
  opts: JobOptions
  /**
   * Attempts whose processor failed. pg-boss's retry count also counts runs cut off by a dying worker,
   * which are not the job's failures: a job cut off mid-attempt gets that attempt again.
   */
  failures?: number
}

/** What pg-boss's `output` column holds: a completion's value, or why the last attempt failed. */
export interface JobOutput {
  value?: unknown
  failedReason?: string
}

/**
 * pg-boss ids are UUIDs, ours any string. The pg-boss id is a UUID derived from ours (SHA-1, shaped like
 * a v5 UUID), so a second enqueue with the same `jobId` hits the job table's primary key (name, id) and
 * adds nothing while the first job exists, in any state. pg-boss's `singletonKey` cannot do this: under
 * the standard policy no unique index covers it.
 */
export function pgBossId(id: string): string {
  const hex = createHash('sha1').update(`nvent-job:${id}`).digest('hex')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** pg-boss starts the highest priority first and defaults to 0; ours starts 1 first and unprioritized last. */
const PRIORITY_CEILING = 2 ** 31 - 1

export function pgBossPriority(priority: number | undefined): number {
  if (priority === undefined)
    return 0
  return PRIORITY_CEILING - Math.min(Math.max(1, Math.round(priority)), PRIORITY_CEILING - 1)
}

/**
 * pg-boss's send options for a job. pg-boss counts a bare number `startAfter` in seconds, so the delay
 * goes as an interval in milliseconds (added to the database clock). The job expires `leaseSeconds` after
 * it starts unless its worker renews it, and pg-boss then retries it at once: its retry limit has room for
 * the job's own attempts and for runs cut off by a dying worker. When an attempt fails the adapter decides
 * between retry and final failure itself, and sets the exact retry time.
 */
export function sendOptions(id: string, opts: JobOptions, leaseSeconds: number): PgBoss.SendOptions {
  const options: PgBoss.SendOptions = {
    id: pgBossId(id),
    priority: pgBossPriority(opts.priority),
    retryLimit: retryLimit(opts),
    expireInSeconds: leaseSeconds,
  }
  if (opts.delay && opts.delay > 0)
    options.startAfter = `${opts.delay} milliseconds`
  return options
}

/** pg-boss's retry limit for a job: its own retries, and room for runs cut off by a dying worker. */
export function retryLimit(opts: JobOptions): number {
  return Math.max(0, Math.floor(opts.attempts ?? 1) - 1) + CRASH_REDELIVERIES
}

/** A row of `queueSql.getJob` / `listJobs`. */
export interface JobRow {
  data: StoredJob
  state: JobState
  output: (JobOutput & { value?: { message?: string } }) | null
  created_at: number
  started_at: number | null
  completed_at: number | null
}

export function toJob(queue: string, row: JobRow): Job {
  const job: Job = {
    ...fromStored(queue, row.data),
    state: row.state,
    attemptsMade: (row.data.failures ?? 0) + (row.state === 'completed' ? 1 : 0),
    createdAt: row.created_at,
  }
  if (row.started_at !== null)
    job.processedAt = row.started_at
  if (row.completed_at !== null && (row.state === 'completed' || row.state === 'failed'))
    job.finishedAt = row.completed_at
  if (row.state === 'completed')
    job.returnValue = row.output?.value
  // pg-boss's own expiry of a stuck attempt leaves `{ value: { message } }`.
  const reason = row.output?.failedReason ?? (row.state !== 'completed' ? row.output?.value?.message : undefined)
  if (reason !== undefined)
    job.failedReason = reason
  return job
}

/** A job pg-boss just handed out: it is active, and its earlier attempts are those that failed. */
export function toFetchedJob(queue: string, row: PgBoss.JobWithMetadata<StoredJob>): Job {
  return {
    ...fromStored(queue, row.data),
    state: 'active',
    attemptsMade: row.data.failures ?? 0,
    createdAt: row.createdOn.getTime(),
    processedAt: row.startedOn.getTime(),
  }
}

function fromStored(queue: string, stored: StoredJob) {
  return { id: stored.id, queue, name: stored.name, data: stored.data, opts: stored.opts }
}
