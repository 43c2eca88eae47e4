import type { Job, JobProcessor, ProcessOptions, QueueWorker } from '../../contracts/queue'
import { describeFailure } from '../../failure'
import { backoffDelay } from '../shared/backoff'
import { commitInBackground, reportLogFailure } from './oplog'
import type { QueueBook, QueueOp } from './queue-book'
import type { StartLimiter } from './limiter'
import { keepFor, type QueueRetention } from './retention'
import { copy } from '../shared/copy'

/** What a worker needs from the queue adapter that owns it. */
export interface WorkerHost {
  readonly book: QueueBook
  readonly retention: QueueRetention
  commit(op: QueueOp): Promise<void>
  limiter(queue: string): StartLimiter
  /** Makes sure a delayed job of `queue` is promoted at `at`. */
  scheduleDelayed(queue: string, at: number): void
  /** Lets every worker of `queue` look for work. */
  wake(queue: string): void
  release(worker: LocalWorker): void
}

type Outcome = { ok: true, value: unknown } | { ok: false, reason: string }

/**
 * Jobs a worker starts before it lets the event loop turn. An in-process queue needs no I/O, so a burst
 * of jobs would otherwise run as one long chain of microtasks, and timers (retention, stall sweeps, cron)
 * and requests would wait until it ends.
 */
const STARTS_PER_TURN = 64

/** Consumes one queue in this process: starts jobs while slots, work and the rate limit allow. */
export class LocalWorker implements QueueWorker {
  private readonly running = new Set<Promise<void>>()
  private closed = false
  private limitTimer?: ReturnType<typeof setTimeout>
  /** Jobs started since this worker last let the event loop turn, and whether it is waiting for the turn. */
  private startedThisTurn = 0
  private yielding = false

  constructor(
    readonly queue: string,
    private readonly host: WorkerHost,
    private readonly processor: JobProcessor,
    private readonly options: ProcessOptions,
  ) {}

  /** Starts waiting jobs until the worker is full, the queue paused or empty, or the limiter says wait. */
  fill() {
    const { book } = this.host
    const concurrency = Math.max(1, this.options.concurrency)
    while (!this.closed && !this.limitTimer && !this.yielding && this.running.size < concurrency && !book.isPaused(this.queue)) {
      if (this.startedThisTurn >= STARTS_PER_TURN)
        return this.yieldTurn()
      const id = book.nextWaiting(this.queue)
      if (id === undefined)
        return
      const { limiter } = this.options
      const wait = limiter ? this.host.limiter(this.queue).admit(limiter, Date.now()) : 0
      if (wait > 0) {
        this.limitTimer = setTimeout(() => {
          this.limitTimer = undefined
          this.fill()
        }, wait)
        return
      }
      if (!this.start(id))
        return
    }
  }

  async close() {
    this.closed = true
    clearTimeout(this.limitTimer)
    this.limitTimer = undefined
    await Promise.all(this.running)
    this.host.release(this)
  }

  private yieldTurn() {
    this.yielding = true
    setImmediate(() => {
      this.yielding = false
      this.startedThisTurn = 0
      this.fill()
    })
  }

  /** Returns false when the start could not be recorded (the job stays waiting). */
  private start(id: string): boolean {
    if (!this.commit({ type: 'start', queue: this.queue, id, at: Date.now() }))
      return false
    this.startedThisTurn++
    const job = copy(this.host.book.get(this.queue, id)!.job)
    const attempt = this.attempt(job).then(outcome => this.finish(job, outcome)).finally(() => {
      this.running.delete(attempt)
      this.fill()
    })
    this.running.add(attempt)
    return true
  }

  private async attempt(job: Job): Promise<Outcome> {
    try {
      return { ok: true, value: await this.processor(job) }
    }
    catch (error) {
      return { ok: false, reason: describeFailure(error) }
    }
  }

  private finish(job: Job, outcome: Outcome) {
    const { queue, id } = job
    const at = Date.now()
    if (outcome.ok) {
      try {
        const returnValue = copy(outcome.value)
        const keep = keepFor(job, 'completed', this.host.retention)
        this.host.commit({ type: 'complete', queue, id, at, returnValue, keep }).catch(reportLogFailure)
        return
      }
      catch (error) {
        // The value cannot be kept (a function, or not JSON for the file backend): fail the attempt visibly.
        outcome = { ok: false, reason: `the return value cannot be stored: ${describeFailure(error)}` }
      }
    }
    const attemptsMade = job.attemptsMade + 1
    if (attemptsMade >= (job.opts.attempts ?? 1))
      return void this.commit({ type: 'fail', queue, id, at, reason: outcome.reason, keep: keepFor(job, 'failed', this.host.retention) })
    const wait = backoffDelay(job.opts.backoff, attemptsMade)
    const runAt = wait > 0 ? at + wait : undefined
    this.commit({ type: 'retry', queue, id, at, reason: outcome.reason, runAt })
    if (runAt === undefined)
      this.host.wake(queue)
    else
      this.host.scheduleDelayed(queue, runAt)
  }

  private commit(op: QueueOp): boolean {
    return commitInBackground(this.host.commit, op)
  }
}
