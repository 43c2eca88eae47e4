import { randomUUID } from 'node:crypto'
import type { Job, JobCounts, JobInput, JobProcessor, JobQuery, ProcessOptions, QueueAdapter, QueueWorker } from '../../contracts/queue'
import { JOB_STATES } from '../../contracts/queue'
import type { AttemptContext } from './attempts'
import { fetchJobs, finishJob } from './attempts'
import { removeJob, retryFailedJob } from './job-actions'
import { encodeJsonb } from './json'
import type { JobRow, StoredJob } from './jobs'
import { pgBossId, sendOptions, toJob } from './jobs'
import type { Connection } from './pool'
import { underLock } from './pool'
import { queueSql } from './queue-sql'
import { withReconnect } from './retry'
import { QueueSignals } from './wake'
import type { Fetched, Outcome, WorkerHost } from './worker'
import { PostgresWorker } from './worker'

/**
 * The queue on pg-boss: pg-boss adds, hands out, completes and retries jobs; nvent adds what the contract
 * needs on top (its ids, listing and counts, pause, a cross-instance rate limiter, retention, and NOTIFY
 * so that a new job starts without waiting for a poll).
 */
export class PostgresQueue implements QueueAdapter, WorkerHost {
  private readonly workers = new Map<string, Set<PostgresWorker>>()
  /** Queues created in pg-boss (and given a control row) by this instance. */
  private readonly created = new Map<string, Promise<void>>()
  /** Queue creations of this process, one after another (see ensureQueue). */
  private creating: Promise<unknown> = Promise.resolve()
  private readonly signals: QueueSignals
  private closed = false
  private stopReconnectHook?: () => void

  constructor(private readonly connection: Connection, private readonly ctx: AttemptContext) {
    this.signals = new QueueSignals(ctx.pool, ctx.schema, `${ctx.schema}.queue`, queue => this.wakeWorkers(queue))
  }

  /** Starts listening for other instances' signals; call once before use. */
  async open() {
    await this.signals.listen(this.connection.listener)
    // Notifications sent while the LISTEN connection was down are lost: every worker looks for work now.
    this.stopReconnectHook = this.connection.listener.onReconnect(() => {
      for (const queue of this.workers.keys()) this.wakeWorkers(queue)
    })
  }

  async enqueue<T>(queue: string, input: JobInput<T>): Promise<string> {
    this.assertOpen()
    const opts = input.opts ?? {}
    const id = opts.jobId ?? randomUUID()
    const stored = encodeJsonb({ id, name: input.name, data: input.data, opts } satisfies StoredJob, `job "${id}" of queue "${queue}"`)
    // pg-boss sends the JSON text as is; `null` back means the id exists, which is the dedupe, and what
    // makes re-sending after a lost connection safe.
    await withReconnect(this.ctx.pool, `adding job ${id} of queue "${queue}"`, 'idempotent', async () => {
      await this.ensureQueue(queue)
      await this.ctx.boss.send(queue, stored as unknown as object, sendOptions(id, opts, this.ctx.leaseSeconds))
    })
    this.wakeWorkers(queue)
    this.signals.announceWork(queue)
    return id
  }

  async getJob(queue: string, id: string): Promise<Job | null> {
    const { rows } = await this.read(`reading job ${id}`, () => this.ctx.pool.query<JobRow>(queueSql.getJob(this.ctx.schema), [queue, pgBossId(id)]))
    return rows[0] ? toJob(queue, rows[0]) : null
  }

  async getJobs(queue: string, query: JobQuery = {}): Promise<Job[]> {
    const params = [queue, query.states ?? JOB_STATES, query.limit ?? 50, query.offset ?? 0]
    const { rows } = await this.read(`listing jobs of queue "${queue}"`, () => this.ctx.pool.query<JobRow>(queueSql.listJobs(this.ctx.schema), params))
    return rows.map(row => toJob(queue, row))
  }

  async counts(queue: string): Promise<JobCounts> {
    const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 }
    const { rows } = await this.read(`counting jobs of queue "${queue}"`, () => this.ctx.pool.query(queueSql.countJobs(this.ctx.schema), [queue]))
    for (const row of rows) counts[row.state as keyof JobCounts] += row.count
    return counts
  }

  async retryJob(queue: string, id: string): Promise<boolean> {
    this.assertOpen()
    if (!await retryFailedJob(this.ctx, queue, id))
      return false
    this.wakeWorkers(queue)
    this.signals.announceWork(queue)
    return true
  }

  removeJob(queue: string, id: string): Promise<boolean> {
    this.assertOpen()
    return removeJob(this.ctx, queue, id)
  }

  pause(queue: string): Promise<void> {
    return this.signals.setPaused(queue, true)
  }

  resume(queue: string): Promise<void> {
    return this.signals.setPaused(queue, false)
  }

  isPaused(queue: string): Promise<boolean> {
    return this.signals.isPaused(queue)
  }

  process(queue: string, processor: JobProcessor, options: ProcessOptions): QueueWorker {
    this.assertOpen()
    const worker = new PostgresWorker(queue, this, processor, options)
    const workers = this.workers.get(queue) ?? new Set()
    this.workers.set(queue, workers.add(worker))
    worker.start(Promise.all([this.ensureQueue(queue), this.signals.refresh(queue)]))
    return worker
  }

  async close() {
    if (this.closed)
      return
    this.closed = true
    this.stopReconnectHook?.()
    await Promise.all([...this.workers.values()].flatMap(set => [...set].map(worker => worker.close())))
    await this.signals.close()
    await this.ctx.boss.stop({ graceful: true, close: false })
    await this.connection.release()
  }

  async fetch(queue: string, count: number, limiter: ProcessOptions['limiter']): Promise<Fetched> {
    const fetched = await fetchJobs(this.ctx, queue, count, limiter)
    if (fetched.paused)
      this.signals.remember(queue, true)
    return fetched
  }

  /**
   * Retried over a lost connection: the attempt ran, dropping its outcome would leave the job active until
   * pg-boss expires it. The transaction is re-run only when it surely rolled back (failed before COMMIT).
   * An outcome that still cannot be recorded leaves the job to expiry and the engine's redelivery.
   */
  finish(job: Job, outcome: Outcome): Promise<void> {
    return withReconnect(this.ctx.pool, `recording the outcome of job ${job.id}`, 'idempotent', () => finishJob(this.ctx, job, outcome))
  }

  async renewLeases(queue: string, jobs: Job[]): Promise<void> {
    await this.ctx.pool.query(queueSql.renewLeases(this.ctx.schema), [queue, jobs.map(job => pgBossId(job.id)), this.ctx.leaseSeconds])
  }

  leaseMs(): number {
    return this.ctx.leaseSeconds * 1000
  }

  async nextDue(queue: string): Promise<number | undefined> {
    const { rows } = await this.ctx.pool.query(queueSql.nextDue(this.ctx.schema), [queue])
    return rows[0]?.wait === null || rows[0]?.wait === undefined ? undefined : Number(rows[0].wait)
  }

  pausedHere(queue: string): boolean {
    return this.signals.pausedHere(queue)
  }

  refreshPaused(queue: string): Promise<void> {
    return this.signals.refresh(queue)
  }

  release(worker: PostgresWorker) {
    this.workers.get(worker.queue)?.delete(worker)
  }

  private read<T>(what: string, query: () => Promise<T>): Promise<T> {
    return withReconnect(this.ctx.pool, what, 'idempotent', query)
  }

  private wakeWorkers(queue: string) {
    for (const worker of this.workers.get(queue) ?? []) worker.wake()
  }

  /**
   * pg-boss 10 drops jobs sent to a queue it does not know, so each queue is created before first use.
   * Two instances creating the same queue at once deadlock inside pg-boss (each attaches a partition), so
   * creation is serialized by an advisory lock. Within the process creations also wait their turn: each
   * waiter holds a pool connection, and enough of them would leave the lock holder none to create with.
   */
  private ensureQueue(queue: string): Promise<void> {
    let created = this.created.get(queue)
    if (!created) {
      const { boss, pool, schema } = this.ctx
      created = (async () => {
        if (!await boss.getQueue(queue)) {
          const turn = this.creating.then(() => underLock(pool, `nvent:${schema}:create-queue`, () => boss.createQueue(queue, { name: queue, policy: 'standard' })))
          this.creating = turn.catch(() => {})
          await turn
        }
        await pool.query(queueSql.ensureControl(schema), [queue])
      })()
      created.catch(() => this.created.delete(queue))
      this.created.set(queue, created)
    }
    return created
  }

  private assertOpen() {
    if (this.closed)
      throw new Error('nvent: the queue adapter is closed')
  }
}
