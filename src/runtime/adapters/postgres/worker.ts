import { consola } from 'consola'
import type { Job, JobProcessor, ProcessOptions, QueueWorker } from '../../contracts/queue'
import { describeFailure } from '../../failure'
import { warnThrottled } from './retry'

/** How often an idle worker looks for work anyway: notifications can be missed, and other instances retry. */
export const POLL_INTERVAL = 2_000

/** A job that fell due between a fetch and the look at what is due next is fetched after this pause (ms), not in a tight loop. */
const REFETCH_PAUSE = 5

export type Outcome = { ok: true, value: unknown } | { ok: false, reason: string }

export interface Fetched {
  jobs: Job[]
  /** Ms until the rate limiter admits another start. */
  wait?: number
  /** The queue had fewer runnable jobs than asked for. */
  exhausted: boolean
  /** The database said the queue is paused. */
  paused?: boolean
}

/** What a worker needs from the queue adapter that owns it. */
export interface WorkerHost {
  /** Takes up to `count` runnable jobs of `queue`, as the pause flag and rate limit allow. */
  fetch(queue: string, count: number, limiter: ProcessOptions['limiter']): Promise<Fetched>
  /** Records the outcome of an attempt (completion, retry or final failure). */
  finish(job: Job, outcome: Outcome): Promise<void>
  /** Renews the expiry of jobs this worker is running, so that only a dead worker's jobs expire. */
  renewLeases(queue: string, jobs: Job[]): Promise<void>
  /** Ms a running job's expiry lasts unrenewed. */
  leaseMs(): number
  /** Ms until the next delayed job of `queue` becomes runnable, if any. */
  nextDue(queue: string): Promise<number | undefined>
  pausedHere(queue: string): boolean
  refreshPaused(queue: string): Promise<void>
  release(worker: PostgresWorker): void
}

/**
 * Consumes one queue in this process: fetches as many jobs as it has free slots (one query for all of
 * them), runs each, and fetches again when a slot frees, a notification says there is work, the next
 * delayed job is due, or the poll interval passes.
 */
export class PostgresWorker implements QueueWorker {
  /** Each running job with its attempt; the worker renews these jobs' expiry while they run. */
  private readonly running = new Map<Job, Promise<void>>()
  private starting?: Promise<void>
  private filling?: Promise<void>
  /** A wake-up arrived while fetching: the fetch may have missed that job, so fetch again after. */
  private again = false
  private closed = false
  private pollTimer?: ReturnType<typeof setInterval>
  private renewTimer?: ReturnType<typeof setInterval>
  private dueTimer?: { at: number, timer: ReturnType<typeof setTimeout> }

  constructor(
    readonly queue: string,
    private readonly host: WorkerHost,
    private readonly processor: JobProcessor,
    private readonly options: ProcessOptions,
  ) {}

  /** Starts once `ready` (the queue exists, its pause flag is known) has settled. */
  start(ready: Promise<unknown>) {
    // Polls even if preparing failed (say, the connection dropped): a worker that never polls would
    // leave its queue unserved until the process restarts.
    this.starting = ready.catch(error => consola.withTag('nvent').warn(`preparing the worker of queue "${this.queue}" failed; polling anyway:`, error)).then(() => {
      if (this.closed)
        return
      this.pollTimer = setInterval(() => this.poll(), POLL_INTERVAL)
      // Three renewals per lease: one lost to a slow query or a blip still leaves the job held.
      this.renewTimer = setInterval(() => this.renew(), this.host.leaseMs() / 3)
      this.wake()
    })
  }

  wake() {
    if (this.closed)
      return
    if (this.filling) {
      this.again = true
      return
    }
    this.filling = this.fill().finally(() => {
      this.filling = undefined
      if (this.again) {
        this.again = false
        this.wake()
      }
    })
  }

  async close() {
    this.closed = true
    await this.starting
    clearInterval(this.pollTimer)
    clearTimeout(this.dueTimer?.timer)
    await this.filling
    while (this.running.size > 0) await Promise.all(this.running.values())
    clearInterval(this.renewTimer)
    this.host.release(this)
  }

  private async fill() {
    const concurrency = Math.max(1, this.options.concurrency)
    try {
      while (!this.closed && !this.host.pausedHere(this.queue) && this.running.size < concurrency) {
        const { jobs, wait, exhausted } = await this.host.fetch(this.queue, concurrency - this.running.size, this.options.limiter)
        for (const job of jobs) this.run(job)
        if (wait !== undefined)
          return this.wakeIn(wait)
        if (exhausted) {
          const due = await this.host.nextDue(this.queue)
          return due === undefined ? undefined : this.wakeIn(Math.max(due, REFETCH_PAUSE))
        }
      }
    }
    catch (error) {
      // The loop ends but the worker lives: the poll timer fetches again, also after an outage.
      warnThrottled(`fetch:${this.queue}`, `fetching jobs of queue "${this.queue}" failed; retrying at the next poll: ${(error as Error).message}`)
    }
  }

  private run(job: Job) {
    const attempt = this.attempt(job)
      .then(outcome => this.host.finish(job, outcome))
      .catch(error => consola.withTag('nvent').error(`could not record the outcome of job ${job.id} of queue "${this.queue}":`, error))
      .finally(() => {
        this.running.delete(job)
        this.wake()
      })
    this.running.set(job, attempt)
  }

  private async renew() {
    if (this.running.size === 0)
      return
    try {
      await this.host.renewLeases(this.queue, [...this.running.keys()])
    }
    catch (error) {
      warnThrottled(`renew:${this.queue}`, `renewing the running jobs of queue "${this.queue}" failed: ${(error as Error).message}`)
    }
  }

  private async attempt(job: Job): Promise<Outcome> {
    try {
      return { ok: true, value: await this.processor(job) }
    }
    catch (error) {
      return { ok: false, reason: describeFailure(error) }
    }
  }

  private async poll() {
    try {
      await this.host.refreshPaused(this.queue)
    }
    catch (error) {
      warnThrottled(`paused:${this.queue}`, `reading the pause flag of queue "${this.queue}" failed: ${(error as Error).message}`)
    }
    this.wake()
  }

  /**
   * Wakes once `ms` from now (a ms more: the database must agree the job is due), unless a wake-up is due
   * sooner. Never later than a poll: a far-off job is simply found by a later poll.
   */
  private wakeIn(ms: number) {
    const at = Date.now() + Math.min(Math.max(0, ms), POLL_INTERVAL) + 1
    if (this.closed || (this.dueTimer && this.dueTimer.at <= at))
      return
    clearTimeout(this.dueTimer?.timer)
    const timer = setTimeout(() => {
      this.dueTimer = undefined
      this.wake()
    }, at - Date.now())
    this.dueTimer = { at, timer }
  }
}
