/** Taking jobs from pg-boss and recording how their attempts ended, each as one transaction. */
import type pg from 'pg'
import type PgBoss from 'pg-boss'
import type { Job, KeepJobs, ProcessOptions } from '../../contracts/queue'
import { backoffDelay } from '../shared/backoff'
import { encodeJsonb } from './json'
import type { JobOutput, StoredJob } from './jobs'
import { pgBossId, toFetchedJob } from './jobs'
import { inTransaction } from './pool'
import { queueSql } from './queue-sql'
import type { Fetched, Outcome } from './worker'

/**
 * The limiter counts starts on the database clock, but a processor sees its start only after the commit
 * reaches it. Widening the window by this much keeps the limit also as processors measure it.
 */
const LIMITER_MARGIN = 5

export interface AttemptContext {
  boss: PgBoss
  pool: pg.Pool
  schema: string
  retention: { completed: KeepJobs, failed: KeepJobs }
  /** Seconds a running job's expiry lasts unless its worker renews it. */
  leaseSeconds: number
}

/** pg-boss calls run on the transaction's client when given it as `db`. */
function onClient(client: pg.PoolClient): PgBoss.Db {
  return { executeSql: (text, values) => client.query(text, values) }
}

export async function fetchJobs(ctx: AttemptContext, queue: string, count: number, limiter: ProcessOptions['limiter']): Promise<Fetched> {
  if (!limiter) {
    const rows = await ctx.boss.fetch<StoredJob>(queue, { batchSize: count, includeMetadata: true })
    return { jobs: rows.map(row => toFetchedJob(queue, row)), exhausted: rows.length < count }
  }
  return inTransaction(ctx.pool, async (client) => {
    // The lock makes the window check and the fetch one step across instances; pausing waits for it.
    const { rows: [control] } = await client.query(queueSql.lockControl(ctx.schema), [queue])
    if (control?.paused)
      return { jobs: [], exhausted: true, paused: true }
    const window = await client.query(queueSql.limiterWindow(ctx.schema), [queue, limiter.duration + LIMITER_MARGIN, limiter.max])
    const allowed = limiter.max - window.rows.length
    if (allowed <= 0)
      return { jobs: [], wait: Math.max(0, Number(window.rows[limiter.max - 1].leaves_in)), exhausted: false }
    const batch = Math.min(count, allowed)
    const rows = await ctx.boss.fetch<StoredJob>(queue, { batchSize: batch, includeMetadata: true, db: onClient(client) })
    if (rows.length > 0)
      await client.query(queueSql.recordStarts(ctx.schema), [queue, rows.length])
    return { jobs: rows.map(row => toFetchedJob(queue, row)), exhausted: rows.length < batch }
  })
}

/**
 * Completes the job or fails the attempt through pg-boss. A failed attempt is retried unless it was the
 * job's last: then pg-boss is left no retries, so its failure is final. In the same transaction: the
 * failure count and exact retry time, and the retention of the state the job ended in, so nobody sees a
 * finished job that retention should already have removed.
 */
export async function finishJob(ctx: AttemptContext, job: Job, outcome: Outcome) {
  const ending = encodeOutcome(outcome)
  const id = pgBossId(job.id)
  const keep = keptJobs(ctx, job, 'completed')
  // The common case, one statement; keeping none removes the job itself, which that statement cannot.
  if ('output' in ending && keep.count !== 0) {
    await ctx.pool.query(queueSql.completeAndTrim(ctx.schema), [job.queue, id, encodeJsonb(ending.output, 'the return value'), keep.count ?? null, keep.age ?? null])
    return
  }
  await inTransaction(ctx.pool, async (client) => {
    const db = onClient(client)
    if ('output' in ending) {
      await ctx.boss.complete(job.queue, id, ending.output, { db })
      return trim(ctx, client, job, 'completed')
    }
    const failures = job.attemptsMade + 1
    const final = failures >= (job.opts.attempts ?? 1)
    if (final)
      await client.query(queueSql.endRetries(ctx.schema), [job.queue, id])
    await ctx.boss.fail(job.queue, id, { failedReason: ending.reason } satisfies JobOutput, { db })
    await client.query(queueSql.recordFailure(ctx.schema), [job.queue, id, failures, final ? 0 : backoffDelay(job.opts.backoff, failures)])
    if (final)
      await trim(ctx, client, job, 'failed')
  })
}

/** A return value that cannot be kept as JSON fails the attempt, visibly, instead of being altered. */
function encodeOutcome(outcome: Outcome): { output: JobOutput } | { reason: string } {
  if (!outcome.ok)
    return { reason: outcome.reason }
  try {
    encodeJsonb(outcome.value ?? null, 'the return value')
    return { output: { value: outcome.value } }
  }
  catch (error) {
    return { reason: (error as Error).message }
  }
}

function keptJobs(ctx: AttemptContext, job: Job, state: 'completed' | 'failed'): KeepJobs {
  return (state === 'completed' ? job.opts.removeOnComplete : job.opts.removeOnFail) ?? ctx.retention[state]
}

async function trim(ctx: AttemptContext, client: pg.PoolClient, job: Job, state: 'completed' | 'failed') {
  const keep = keptJobs(ctx, job, state)
  if (keep.count === undefined && keep.age === undefined)
    return
  await client.query(queueSql.trimFinished(ctx.schema), [job.queue, state, keep.count ?? null, keep.age ?? null])
}
