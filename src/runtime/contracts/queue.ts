/**
 * The queue contract: what nvent needs from a job queue. Every backend (memory, file, redis, postgres)
 * implements it; the engine depends on nothing else of a queue.
 */

/** Where a job is in its life. */
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed'

export const JOB_STATES: readonly JobState[] = ['waiting', 'delayed', 'active', 'completed', 'failed']

export interface BackoffOptions {
  /** `fixed` waits `delay` ms between attempts; `exponential` waits `delay * 2^(attempt-1)`. */
  type: 'fixed' | 'exponential'
  /** Base delay in milliseconds. */
  delay: number
}

/**
 * How many finished jobs a queue keeps. Whichever limit is reached first removes the oldest (by finish
 * time; between jobs finished in the same millisecond the backend picks).
 */
export interface KeepJobs {
  /** Keep at most this many jobs in the state. */
  count?: number
  /** Keep jobs for at most this many milliseconds after they finished. */
  age?: number
}

export interface JobOptions {
  /**
   * Deduplication key: while a job with this id exists, enqueueing another with the same id returns the
   * existing id and adds nothing.
   */
  jobId?: string
  /** Milliseconds to wait before the job becomes runnable. @default 0 */
  delay?: number
  /** 1 is the highest priority; jobs without a priority run after prioritized ones. @default undefined */
  priority?: number
  /** Total attempts, the first included. @default 1 */
  attempts?: number
  /** Wait between attempts. @default immediate retry */
  backoff?: BackoffOptions
  /** Retention of this job once completed. @default the adapter's retention */
  removeOnComplete?: KeepJobs
  /** Retention of this job once failed for good. @default the adapter's retention */
  removeOnFail?: KeepJobs
}

export interface JobInput<T = unknown> {
  /** The function that handles the job (its id in the registry). */
  name: string
  data: T
  opts?: JobOptions
}

export interface Job<T = unknown> {
  id: string
  queue: string
  name: string
  data: T
  opts: JobOptions
  state: JobState
  /** Attempts that have finished (failed or completed); the running attempt is `attemptsMade + 1`. */
  attemptsMade: number
  createdAt: number
  processedAt?: number
  finishedAt?: number
  failedReason?: string
  returnValue?: unknown
}

export type JobCounts = Record<JobState, number>

export interface JobQuery {
  /** States to list. @default all states */
  states?: JobState[]
  /** @default 50 */
  limit?: number
  /** @default 0 */
  offset?: number
}

export interface ProcessOptions {
  /** Jobs of this queue running at once in this process. */
  concurrency: number
  /** At most `max` jobs started per `duration` ms, across every worker of the queue. */
  limiter?: { max: number, duration: number }
}

/** Runs one job. A throw (or rejection) fails the attempt; the queue retries while attempts remain. */
export type JobProcessor = (job: Job) => Promise<unknown>

export interface QueueWorker {
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>
}

export interface QueueAdapter {
  /** Adds a job; resolves once the job is durable in the backend. Returns the job id. */
  enqueue<T>(queue: string, job: JobInput<T>): Promise<string>
  getJob(queue: string, id: string): Promise<Job | null>
  /** Newest first. */
  getJobs(queue: string, query?: JobQuery): Promise<Job[]>
  counts(queue: string): Promise<JobCounts>
  /**
   * Sends a `failed` job back to `waiting` to run again with a fresh set of its attempts (as BullMQ's
   * `job.retry()` resetting them): `attemptsMade` is 0 and its last failure, start and finish are cleared.
   * Resolves false, changing nothing, for an unknown job or one in any other state.
   */
  retryJob(queue: string, id: string): Promise<boolean>
  /**
   * Removes a `waiting`, `delayed`, `completed` or `failed` job; its id is free again. Resolves false for
   * an unknown job, and for an `active` one, which stays: its worker would record its outcome into nothing.
   */
  removeJob(queue: string, id: string): Promise<boolean>
  /** Stops starting jobs of the queue on every worker; running jobs finish. */
  pause(queue: string): Promise<void>
  resume(queue: string): Promise<void>
  isPaused(queue: string): Promise<boolean>
  /** Starts consuming the queue in this process. */
  process(queue: string, processor: JobProcessor, options: ProcessOptions): QueueWorker
  /** Closes workers and connections. */
  close(): Promise<void>
}
