/** Queues: counts and paused state of every queue of the build, and pages of a queue's jobs. */
import type { JobState } from '../contracts/queue'
import { JOB_STATES } from '../contracts/queue'
import { NventError } from '../errors'
import type { JobPage, QueueSummary } from '../types/monitor'
import type { MonitorDeps } from './deps'
import { limitArg, stringArg } from './deps'

export function queueSummaries({ queue }: MonitorDeps): Promise<QueueSummary[]> {
  return Promise.all(queue.names().map(async name => ({ name, counts: await queue.counts(name), paused: await queue.isPaused(name) })))
}

/** A queue of the build by name, else a 404 listing them. */
export function knownQueue({ queue }: MonitorDeps, name: unknown): string {
  const names = queue.names()
  if (!names.includes(stringArg('queue', name)))
    throw new NventError(`nvent: monitor: unknown queue ${JSON.stringify(name)} (queues: ${names.join(', ') || 'none'})`, 404)
  return name as string
}

export async function jobs(deps: MonitorDeps, name: string, options: { state?: JobState, limit?: number, offset?: number } = {}): Promise<JobPage> {
  const queue = knownQueue(deps, name)
  const { state, offset = 0 } = options
  if (state !== undefined && !JOB_STATES.includes(state))
    throw new NventError(`nvent: monitor: a job state must be one of ${JOB_STATES.join(', ')}, got ${JSON.stringify(state)}`, 400)
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new NventError(`nvent: monitor: offset must be a non-negative integer, got ${JSON.stringify(offset)}`, 400)
  const states = state ? [state] : [...JOB_STATES]
  const [items, counts] = await Promise.all([
    deps.queue.getJobs(queue, { states, limit: limitArg(options.limit, 50), offset }),
    deps.queue.counts(queue),
  ])
  return { items, total: states.reduce((sum, s) => sum + counts[s], 0) }
}
