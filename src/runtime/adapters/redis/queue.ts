import { randomUUID } from 'node:crypto'
import type { Worker } from 'bullmq'
import { Job as BullJob, Queue } from 'bullmq'
import type { Job, JobCounts, JobInput, JobProcessor, JobQuery, ProcessOptions, QueueAdapter, QueueWorker } from '../../contracts/queue'
import { JOB_STATES } from '../../contracts/queue'
import type { Redis } from 'ioredis'
import { type RedisLease, workerTemplate } from './connection'
import { encodeJobId, encodeQueueName } from './job-id'
import { toBullOptions, toJob, toJobState } from './job'
import { removeJob, retryFailedJob } from './job-actions'
import { listJobs } from './job-list'
import { toJson } from './json'
import { startWorker, type WorkerSettings } from './worker'

/**
 * The queue adapter on BullMQ: one BullMQ Queue per queue name (on the shared client), one Worker per
 * `process` call. Retries, backoff, delays, priorities, rate limits, pauses, retention and stalled-job
 * recovery are all BullMQ's.
 */
export class RedisQueue implements QueueAdapter {
  private readonly queues = new Map<string, Queue>()
  private readonly workers = new Set<Worker>()
  /** What the workers' connections are copied from (they wait out outages); made when the first worker starts. */
  private workerClient?: Redis
  private closed = false

  constructor(private readonly lease: RedisLease, private readonly settings: Omit<WorkerSettings, 'client'>) {}

  async enqueue<T>(queue: string, input: JobInput<T>): Promise<string> {
    const opts = input.opts ?? {}
    const id = opts.jobId ?? randomUUID()
    toJson(input.data, `the data of job "${input.name}" for queue "${queue}"`)
    // An existing id makes BullMQ add nothing and keep the first job, which is the contract's dedupe.
    await this.bull(queue).add(input.name, input.data, toBullOptions(id, opts))
    return id
  }

  async getJob(queue: string, id: string): Promise<Job | null> {
    const bull = this.bull(queue)
    const bullId = encodeJobId(id)
    const [found, bullState] = await Promise.all([BullJob.fromId(bull, bullId), bull.getJobState(bullId)])
    const state = toJobState(bullState)
    return found && state ? toJob(queue, found, state) : null
  }

  async getJobs(queue: string, query: JobQuery = {}): Promise<Job[]> {
    return listJobs(this.lease.client, queue, this.bull(queue), query.states ?? JOB_STATES, query.offset ?? 0, query.limit ?? 50)
  }

  async counts(queue: string): Promise<JobCounts> {
    const bull = await this.bull(queue).getJobCounts('wait', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed')
    const count = (type: string) => bull[type] ?? 0
    return {
      waiting: count('wait') + count('prioritized') + count('waiting-children'),
      delayed: count('delayed'),
      active: count('active'),
      completed: count('completed'),
      failed: count('failed'),
    }
  }

  retryJob(queue: string, id: string): Promise<boolean> {
    return retryFailedJob(this.bull(queue), id)
  }

  removeJob(queue: string, id: string): Promise<boolean> {
    return removeJob(this.bull(queue), id)
  }

  async pause(queue: string) {
    await this.bull(queue).pause()
  }

  async resume(queue: string) {
    await this.bull(queue).resume()
  }

  async isPaused(queue: string): Promise<boolean> {
    return this.bull(queue).isPaused()
  }

  process(queue: string, processor: JobProcessor, options: ProcessOptions): QueueWorker {
    this.assertOpen()
    this.workerClient ??= workerTemplate(this.lease.options)
    const worker = startWorker(queue, processor, options, { ...this.settings, client: this.workerClient })
    this.workers.add(worker)
    return {
      close: async () => {
        await worker.close()
        this.workers.delete(worker)
      },
    }
  }

  /** Waits for running jobs, then closes every Worker and Queue and lets go of the shared client. */
  async close() {
    if (this.closed)
      return
    this.closed = true
    await Promise.all([...this.workers].map(worker => worker.close()))
    this.workers.clear()
    await Promise.all([...this.queues.values()].map(queue => queue.close()))
    this.queues.clear()
    this.workerClient?.disconnect()
    await this.lease.release()
  }

  private bull(queue: string): Queue {
    this.assertOpen()
    let bull = this.queues.get(queue)
    if (!bull) {
      // Without waiting for the connection, the command client's deadline bounds every call, the first too.
      const created = new Queue(encodeQueueName(queue), { connection: this.lease.client, prefix: this.settings.prefix, skipWaitingForReady: true })
      // Its errors are the shared client's, which reports them (once per outage).
      created.on('error', () => {})
      // A Queue that could not read the server's version when it was made stays broken: the next call makes another.
      created.waitUntilReady().catch(() => {
        if (this.queues.get(queue) === created)
          this.queues.delete(queue)
        created.close().catch(() => {})
      })
      this.queues.set(queue, created)
      bull = created
    }
    return bull
  }

  private assertOpen() {
    if (this.closed)
      throw new Error('nvent: the queue adapter is closed')
  }
}
