import { randomUUID } from 'node:crypto'
import type { Job, JobCounts, JobInput, JobProcessor, JobQuery, ProcessOptions, QueueAdapter, QueueWorker } from '../../contracts/queue'
import { JOB_STATES } from '../../contracts/queue'
import { StartLimiter } from './limiter'
import { commitInBackground, committer, type OpLog } from './oplog'
import type { QueueBook, QueueOp } from './queue-book'
import { DEFAULT_RETENTION, type QueueRetention } from './retention'
import { LocalWorker, type WorkerHost } from './worker'
import { copy } from '../shared/copy'

/** setTimeout fires at once for longer delays; a far-off job is promoted after a few re-arms instead. */
const MAX_TIMER = 2 ** 31 - 1

/**
 * The in-process queue: jobs live in a `QueueBook`, workers and timers run here. The memory backend
 * gives it a volatile log, the file backend a journal; nothing else differs.
 */
export class LocalQueue implements QueueAdapter, WorkerHost {
  readonly commit: (op: QueueOp) => Promise<void>
  private readonly workers = new Map<string, Set<LocalWorker>>()
  private readonly limiters = new Map<string, StartLimiter>()
  private readonly delayTimers = new Map<string, { at: number, timer: ReturnType<typeof setTimeout> }>()
  private closed = false

  constructor(
    readonly book: QueueBook,
    private readonly log: OpLog<QueueOp>,
    readonly retention: QueueRetention = DEFAULT_RETENTION,
  ) {
    this.commit = committer(book, log)
    if (book.hasActive())
      commitInBackground(this.commit, { type: 'requeueActive' })
    for (const queue of book.queueNames()) this.promoteDue(queue)
  }

  async enqueue<T>(queue: string, input: JobInput<T>): Promise<string> {
    this.assertOpen()
    const id = input.opts?.jobId ?? randomUUID()
    if (this.book.get(queue, id)) {
      // The existing job may have been added a moment ago: answer only once it is durable.
      await this.log.settled()
      return id
    }
    const now = Date.now()
    const opts = copy(input.opts ?? {})
    const runAt = opts.delay && opts.delay > 0 ? now + opts.delay : undefined
    const job: Job = {
      id,
      queue,
      name: input.name,
      data: copy(input.data),
      opts,
      state: runAt === undefined ? 'waiting' : 'delayed',
      attemptsMade: 0,
      createdAt: now,
    }
    const durable = this.commit({ type: 'add', queue, job, runAt })
    if (runAt === undefined)
      this.wake(queue)
    else
      this.scheduleDelayed(queue, runAt)
    await durable
    return id
  }

  async getJob(queue: string, id: string): Promise<Job | null> {
    const entry = this.book.get(queue, id)
    return entry ? copy(entry.job) : null
  }

  async getJobs(queue: string, query: JobQuery = {}): Promise<Job[]> {
    const jobs = this.book.list(queue, query.states ?? JOB_STATES, query.offset ?? 0, query.limit ?? 50)
    return copy(jobs)
  }

  async counts(queue: string): Promise<JobCounts> {
    return this.book.counts(queue)
  }

  async retryJob(queue: string, id: string): Promise<boolean> {
    this.assertOpen()
    if (this.book.get(queue, id)?.job.state !== 'failed')
      return false
    const durable = this.commit({ type: 'retryFailed', queue, id })
    this.wake(queue)
    await durable
    return true
  }

  async removeJob(queue: string, id: string): Promise<boolean> {
    this.assertOpen()
    if (!this.book.removable(queue, id))
      return false
    await this.commit({ type: 'remove', queue, id })
    return true
  }

  async pause(queue: string) {
    await this.commit({ type: 'pause', queue })
  }

  async resume(queue: string) {
    const durable = this.commit({ type: 'resume', queue })
    this.wake(queue)
    await durable
  }

  async isPaused(queue: string): Promise<boolean> {
    return this.book.isPaused(queue)
  }

  process(queue: string, processor: JobProcessor, options: ProcessOptions): QueueWorker {
    this.assertOpen()
    const worker = new LocalWorker(queue, this, processor, options)
    const workers = this.workers.get(queue) ?? new Set()
    this.workers.set(queue, workers.add(worker))
    worker.fill()
    return worker
  }

  async close() {
    if (this.closed)
      return
    this.closed = true
    for (const { timer } of this.delayTimers.values()) clearTimeout(timer)
    this.delayTimers.clear()
    await Promise.all([...this.workers.values()].flatMap(set => [...set].map(worker => worker.close())))
    await this.log.close()
  }

  limiter(queue: string): StartLimiter {
    let limiter = this.limiters.get(queue)
    if (!limiter)
      this.limiters.set(queue, limiter = new StartLimiter())
    return limiter
  }

  wake(queue: string) {
    for (const worker of this.workers.get(queue) ?? []) worker.fill()
  }

  release(worker: LocalWorker) {
    this.workers.get(worker.queue)?.delete(worker)
  }

  scheduleDelayed(queue: string, at: number) {
    const current = this.delayTimers.get(queue)
    if (this.closed || (current && current.at <= at))
      return
    clearTimeout(current?.timer)
    const timer = setTimeout(() => this.promoteDue(queue), Math.min(MAX_TIMER, Math.max(0, at - Date.now())))
    this.delayTimers.set(queue, { at, timer })
  }

  /** Moves the delayed jobs whose time has come to waiting, and arms the timer for the next one. */
  private promoteDue(queue: string) {
    this.delayTimers.delete(queue)
    const { due, next } = this.book.dueDelayed(queue, Date.now())
    if (due.length > 0 && commitInBackground(this.commit, { type: 'promote', queue, ids: due }))
      this.wake(queue)
    if (next !== undefined)
      this.scheduleDelayed(queue, next)
  }

  private assertOpen() {
    if (this.closed)
      throw new Error('nvent: the queue adapter is closed')
  }
}
