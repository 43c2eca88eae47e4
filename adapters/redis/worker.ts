/** Consumes one queue with a BullMQ Worker, presenting each BullMQ job to the processor as a contract job. */
import type { KeepJobs as BullKeepJobs } from 'bullmq'
import { Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { JobProcessor, ProcessOptions } from '../../runtime/contracts/queue'
import { describeFailure } from '../../runtime/failure'
import { encodeQueueName } from './job-id'
import { toJob } from './job'
import { toJson } from './json'

/** What every worker of one queue adapter shares. */
export interface WorkerSettings {
  /** The shared command client; BullMQ duplicates it for the worker's blocking connections. */
  client: Redis
  /** BullMQ's key prefix. */
  prefix: string
  removeOnComplete: BullKeepJobs
  removeOnFail: BullKeepJobs
  stalledInterval: number
  maxStalledCount: number
}

export function startWorker(queue: string, processor: JobProcessor, options: ProcessOptions, settings: WorkerSettings): Worker {
  const worker = new Worker(encodeQueueName(queue), async (bullJob) => {
    let value: unknown
    try {
      value = await processor(toJob(queue, bullJob, 'active'))
    }
    catch (thrown) {
      // BullMQ reads `.message`; a thrown string or object would otherwise leave no reason behind.
      throw new Error(describeFailure(thrown))
    }
    if (value !== undefined)
      toJson(value, `the return value of job ${bullJob.id} of queue "${queue}"`)
    return value
  }, {
    connection: settings.client,
    prefix: settings.prefix,
    concurrency: Math.max(1, options.concurrency),
    limiter: options.limiter && { max: options.limiter.max, duration: options.limiter.duration },
    // Per worker in BullMQ, used for every job that does not carry its own retention.
    removeOnComplete: settings.removeOnComplete,
    removeOnFail: settings.removeOnFail,
    stalledInterval: settings.stalledInterval,
    maxStalledCount: settings.maxStalledCount,
  })
  // A Worker without an error listener would throw connection trouble into the process.
  worker.on('error', error => console.error(`[nvent] worker of queue "${queue}":`, error.message))
  return worker
}
