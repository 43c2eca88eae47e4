/**
 * Lists a queue's jobs newest first across states. BullMQ keeps each state in its own list or sorted
 * set, each in its own order (priority, run time, finish time), so the ids of the asked states are read
 * with their creation order and sorted here. The cost grows with the jobs in those states; finished
 * states are bounded by retention.
 */
import type { JobType, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { Job as BullJob } from 'bullmq'
import type { Job, JobState } from '../../contracts/queue'
import type { JobMeta } from './job'
import { toJob } from './job'

/** Where BullMQ keeps the jobs of each contract state. */
const BULL_TYPES: Record<JobState, JobType[]> = {
  waiting: ['wait', 'prioritized', 'waiting-children'],
  delayed: ['delayed'],
  active: ['active'],
  completed: ['completed'],
  failed: ['failed'],
}

interface Listed {
  bullId: string
  state: JobState
  order: number
}

export async function listJobs(client: Redis, queue: string, bull: Queue, states: readonly JobState[], offset: number, limit: number): Promise<Job[]> {
  const listed = (await Promise.all(states.map(state => idsIn(bull, state)))).flat()
  const pipeline = client.pipeline()
  for (const entry of listed) pipeline.hmget(bull.toKey(entry.bullId), 'timestamp', 'opts')
  const replies = (await pipeline.exec()) ?? []
  replies.forEach(([error, fields], i) => {
    listed[i]!.order = error ? 0 : creationOrder(fields as (string | null)[])
  })
  listed.sort((a, b) => b.order - a.order)
  const page = listed.slice(offset, offset + limit)
  const jobs = await Promise.all(page.map(async (entry) => {
    const found = await BullJob.fromId(bull, entry.bullId)
    return found && toJob(queue, found, entry.state)
  }))
  // A job removed between the two reads is left out rather than shown half.
  return jobs.filter((job): job is Job => job !== null && job !== undefined)
}

async function idsIn(bull: Queue, state: JobState): Promise<Listed[]> {
  const ids = await bull.getRanges(BULL_TYPES[state], 0, -1, true)
  return ids.map(bullId => ({ bullId, state, order: 0 }))
}

/** The order nvent recorded at enqueue; for a job added by other means, its creation time. */
function creationOrder([timestamp, opts]: (string | null)[]): number {
  try {
    const meta = (JSON.parse(opts ?? '{}') as { nvent?: JobMeta }).nvent
    if (meta)
      return Number(meta.order)
  }
  catch {
    // Not ours: fall through to the timestamp.
  }
  return Number(timestamp ?? 0) * 1024
}
