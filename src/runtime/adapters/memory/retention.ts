import type { Job, KeepJobs } from '../../contracts/queue'

/** How many finished jobs each queue keeps unless a job says otherwise. */
export interface QueueRetention {
  /** @default { count: 1000 } */
  completed?: KeepJobs
  /** @default { count: 5000 } */
  failed?: KeepJobs
}

export const DEFAULT_RETENTION = { completed: { count: 1000 }, failed: { count: 5000 } } satisfies QueueRetention

/** The retention that applies when `job` ends in `state`: its own, else the queue's. */
export function keepFor(job: Job, state: 'completed' | 'failed', retention: QueueRetention): KeepJobs {
  const own = state === 'completed' ? job.opts.removeOnComplete : job.opts.removeOnFail
  return own ?? retention[state] ?? DEFAULT_RETENTION[state]
}
