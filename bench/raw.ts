/**
 * The libraries under nvent, used directly the way an app without nvent would: BullMQ Queue + Worker,
 * pg-boss send + fetch/complete (and send + work). Each side enqueues every job, then drains them.
 */
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import PgBoss from 'pg-boss'
import { deleteRedisPrefix, dropSchemas, onCleanup, POSTGRES_URL, REDIS_URL, uniqueId } from './backends'
import { countdown, inParallel, now, wire } from './util'

/** One timed enqueue-all-then-drain: phase times and the commands or queries sent meanwhile. */
export interface DrainSample {
  jobs: number
  enqueueMs: number
  drainMs: number
  /** Redis commands or PostgreSQL queries sent during both phases. */
  wire: number
}

export async function bullmqDrain(jobs: number, concurrency: number): Promise<DrainSample> {
  const prefix = `bull-bench-${uniqueId()}`
  onCleanup(() => deleteRedisPrefix(prefix))
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const queue = new Queue('bench', { connection, prefix })
  const drained = countdown(jobs, 'BullMQ jobs')
  let worker: Worker | undefined
  try {
    await queue.waitUntilReady()
    const wire0 = wire.redis
    const t0 = now()
    await inParallel(jobs, concurrency, () => queue.add('noop', {}))
    const t1 = now()
    // The same retention nvent's Redis queue applies by default, so both sides trim alike.
    worker = new Worker('bench', async () => { drained.tick() }, {
      connection,
      prefix,
      concurrency,
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    })
    worker.on('error', error => console.error('[bench] BullMQ worker:', error.message))
    await drained.done
    const t2 = now()
    return { jobs, enqueueMs: t1 - t0, drainMs: t2 - t1, wire: wire.redis - wire0 }
  }
  finally {
    await worker?.close()
    await queue.close()
    await connection.quit()
  }
}

/** pg-boss on a schema of its own (dropped by `cleanupBackends`), with `queue` created. */
export async function startBoss(queue = 'bench'): Promise<PgBoss> {
  const schema = `pgboss_${uniqueId()}`
  onCleanup(() => dropSchemas([schema]))
  const boss = new PgBoss({ connectionString: POSTGRES_URL, schema })
  boss.on('error', error => console.error('[bench] pg-boss:', error.message))
  await boss.start()
  await boss.createQueue(queue)
  return boss
}

async function timeDrain(boss: PgBoss, jobs: number, concurrency: number, drain: (tick: () => void) => Promise<void>): Promise<DrainSample> {
  const drained = countdown(jobs, 'pg-boss jobs')
  const wire0 = wire.pg
  const t0 = now()
  await inParallel(jobs, concurrency, () => boss.send('bench', {}))
  const t1 = now()
  const draining = drain(drained.tick)
  await drained.done
  const t2 = now()
  await draining
  return { jobs, enqueueMs: t1 - t0, drainMs: t2 - t1, wire: wire.pg - wire0 }
}

/**
 * `concurrency` loops of fetch (one job), run, complete: pg-boss's own calls, awaited one after the other,
 * with no polling pause. The fastest per-job-completing consumer pg-boss 10 offers at that concurrency.
 */
export async function pgBossFetchDrain(jobs: number, concurrency: number): Promise<DrainSample> {
  const boss = await startBoss()
  try {
    return await timeDrain(boss, jobs, concurrency, async (tick) => {
      const lane = async () => {
        while (true) {
          const [job] = await boss.fetch<object>('bench', { batchSize: 1 })
          if (!job)
            return
          tick()
          await boss.complete('bench', job.id)
        }
      }
      await Promise.all(Array.from({ length: concurrency }, lane))
    })
  }
  finally {
    await boss.stop({ graceful: false })
  }
}

/**
 * `concurrency` `work()` subscriptions of one job each, at pg-boss's shortest polling interval (0.5 s).
 * pg-boss 10 sleeps out the rest of the interval after every fetch, found jobs or not.
 */
export async function pgBossWorkDrain(jobs: number, concurrency: number): Promise<DrainSample> {
  const boss = await startBoss()
  try {
    return await timeDrain(boss, jobs, concurrency, async (tick) => {
      for (let i = 0; i < concurrency; i++)
        await boss.work('bench', { batchSize: 1, pollingIntervalSeconds: 0.5 }, async () => { tick() })
    })
  }
  finally {
    await boss.offWork('bench')
    await boss.stop({ graceful: false })
  }
}
