/** Retrying and removing one job by hand, through BullMQ's own scripts (each checks and acts atomically). */
import type { Queue } from 'bullmq'
import { Job as BullJob, ErrorCode } from 'bullmq'
import { encodeJobId } from './job-id'
import { toJobState } from './job'

/**
 * BullMQ's `reprocessJob` moves the job out of the failed set, or answers that it is not there. The
 * resets give it a fresh set of attempts: the count its retries go by, and the count of starts.
 */
export async function retryFailedJob(bull: Queue, id: string): Promise<boolean> {
  const found = await BullJob.fromId(bull, encodeJobId(id))
  if (!found)
    return false
  try {
    await found.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
    return true
  }
  catch (error) {
    // Gone, or not failed (anymore): nothing changed.
    const code = (error as { code?: unknown }).code
    if (code === ErrorCode.JobNotExist || code === ErrorCode.JobNotInState)
      return false
    throw error
  }
}

/**
 * BullMQ's `removeJob` removes a job whatever its state, unless a worker holds its lock. The state is
 * read first because a missing job also counts as removed there, and an active job whose lock lapsed
 * (its worker stalled) is still not ours to remove: the stall check hands it to another worker.
 */
export async function removeJob(bull: Queue, id: string): Promise<boolean> {
  const bullId = encodeJobId(id)
  const state = toJobState(await bull.getJobState(bullId))
  if (state === undefined || state === 'active')
    return false
  // 0: a worker took the job and locked it since the state was read.
  return await bull.remove(bullId) === 1
}
