/** Consumes one queue with a BullMQ Worker, presenting each BullMQ job to the processor as a contract job. */
import type { KeepJobs as BullKeepJobs } from 'bullmq'
import { Worker } from 'bullmq'
import { consola } from 'consola'
import type { Redis } from 'ioredis'
import type { JobProcessor, ProcessOptions } from '../../contracts/queue'
import { describeFailure } from '../../failure'
import { CRASH_REDELIVERIES } from '../shared/crash-recovery'
import { serverOutage } from './connection'
import { encodeQueueName } from './job-id'
import { toJob } from './job'
import { toJson } from './json'

/** What every worker of one queue adapter shares. */
export interface WorkerSettings {
  /** The workers' shared client; BullMQ duplicates it for each worker's connections. */
  client: Redis
  /** BullMQ's key prefix. */
  prefix: string
  removeOnComplete: BullKeepJobs
  removeOnFail: BullKeepJobs
  /** Ms a job's lock lasts unrenewed; also the interval of the check that hands lapsed jobs to other workers. */
  lease: number
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
    // A dead worker's job runs again within two leases: its lock lapses, then a check finds it.
    lockDuration: settings.lease,
    stalledInterval: settings.lease,
    maxStalledCount: CRASH_REDELIVERIES,
  })
  // A Worker without an error listener would throw connection trouble into the process. Its connections
  // are duplicates of the workers' client: their losses belong to that server's outage, logged once.
  const outage = serverOutage(settings.client)
  worker.on('error', (error) => {
    if ((error as NodeJS.ErrnoException).code || /connection|closed|timed? ?out/i.test(error.message))
      outage.failed(error)
    else
      consola.withTag('nvent').warn(`worker of queue "${queue}": ${error.message}`)
  })
  worker.on('ready', () => outage.recovered())
  return worker
}
