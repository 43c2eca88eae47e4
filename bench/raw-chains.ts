/**
 * Job chains on the libraries under nvent, written the way an app without nvent would: each job of a
 * chain enqueues the next from its handler. Every chain's first job is added at once, then the time runs
 * until the last chain's last job ends. The raw side of the flow measurements.
 */
import { Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { deleteRedisPrefix, onCleanup, REDIS_URL, uniqueId } from './backends'
import { startBoss } from './raw'
import { countdown, now } from './util'

/** One timed batch of chains: wall time and each hop (a job's end to the next job's start), in ms. */
export interface ChainSample {
  chains: number
  ms: number
  hops: number[]
}

interface Link { chain: number, index: number }

/** Times `chains` chains of `length` jobs each, from what their handlers report. */
function chainTimer(chains: number, length: number) {
  const ended = countdown(chains, 'chains')
  const hops: number[] = []
  const endOf = new Map<number, number>()
  return {
    ended,
    hops,
    /** At a job's start. */
    started(link: Link) {
      const previous = endOf.get(link.chain)
      if (previous !== undefined)
        hops.push(now() - previous)
    },
    /** At a job's end: the next link to enqueue, if the chain goes on. */
    finished(link: Link): Link | undefined {
      endOf.set(link.chain, now())
      if (link.index + 1 < length)
        return { chain: link.chain, index: link.index + 1 }
      ended.tick()
      return undefined
    },
  }
}

export async function bullmqChains(chains: number, length: number, concurrency: number): Promise<ChainSample> {
  const prefix = `bull-bench-${uniqueId()}`
  onCleanup(() => deleteRedisPrefix(prefix))
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const queue = new Queue<Link>('chains', { connection, prefix })
  const timer = chainTimer(chains, length)
  // The retention nvent's Redis queue applies by default, so both sides trim alike.
  const worker = new Worker<Link>('chains', async (job) => {
    timer.started(job.data)
    const next = timer.finished(job.data)
    if (next)
      await queue.add('link', next)
  }, { connection, prefix, concurrency, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } })
  worker.on('error', error => console.error('[bench] BullMQ worker:', error.message))
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()])
    const t0 = now()
    await Promise.all(Array.from({ length: chains }, (_, chain) => queue.add('link', { chain, index: 0 })))
    await timer.ended.done
    return { chains, ms: now() - t0, hops: timer.hops }
  }
  finally {
    await worker.close()
    await queue.close()
    await connection.quit()
  }
}

/**
 * `concurrency` loops of fetch (one job), run, complete, as in the plain-job comparison. A loop that
 * finds the queue empty while chains are still running looks again after 2 ms.
 */
export async function pgBossChains(chains: number, length: number, concurrency: number): Promise<ChainSample> {
  const boss = await startBoss('chains')
  const timer = chainTimer(chains, length)
  let done = false
  const lane = async () => {
    while (!done) {
      const [job] = await boss.fetch<Link>('chains', { batchSize: 1 })
      if (!job) {
        await sleep(2)
        continue
      }
      timer.started(job.data)
      const next = timer.finished(job.data)
      if (next)
        await boss.send('chains', next)
      await boss.complete('chains', job.id)
    }
  }
  try {
    const t0 = now()
    await Promise.all(Array.from({ length: chains }, (_, chain) => boss.send('chains', { chain, index: 0 })))
    const lanes = Promise.all(Array.from({ length: concurrency }, lane))
    await timer.ended.done
    const ms = now() - t0
    done = true
    await lanes
    return { chains, ms, hops: timer.hops }
  }
  finally {
    done = true
    await boss.stop({ graceful: false })
  }
}
