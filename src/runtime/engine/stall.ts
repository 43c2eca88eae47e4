/**
 * The sweep: what happens to running runs that nothing moves forward. On each pass, for every running run:
 * - unfinished steps this build lacks fail the run at once (a deploy renamed or removed them);
 * - quiet for `checkInterval`: a queued step whose job the queue does not have is enqueued again (its
 *   enqueue was cut off by a crash after the commit that queued it, such as a start's entry);
 * - quiet for `stallTimeout`: a run paused on an await has its awaits re-armed (once per `stallTimeout`,
 *   in case a crash cut a registration short or a timer ran out of retries while the backend was down);
 *   any other run with no queued job still alive in the queue is marked `stalled`.
 */
import type { JobState } from '../contracts/queue'
import type { RunRecord } from '../types/run'
import { everyIntervalOnce } from './claimed-interval'
import type { NventContext } from './nvent-context'
import { everyFlow } from './nvent-context'
import { stepJobId } from './graph'
import { endRun, enqueueSteps, failIfNotInBuild, settleSteps } from './settle'
import { stallRun } from './transitions'

const SWEEP_CLAIM = 'claim:stall-sweep'
const rearmClaim = (runId: string) => `claim:rearm:${runId}`
/** Job states in which the queue will still run a job, so its step is not lost. */
const LIVE_JOB_STATES: readonly JobState[] = ['waiting', 'delayed', 'active']

/** Sweeps every running run of every flow once; returns the ids it marked stalled. */
export async function sweepStalledRuns(context: NventContext, now = Date.now()): Promise<string[]> {
  const stalled: string[] = []
  // Flows this build no longer has are swept too: their running runs can only fail, naming the steps.
  for (const flowName of await everyFlow(context)) {
    let cursor: string | undefined
    do {
      const page = await context.adapters.store.listRuns({ flow: flowName, status: 'running', limit: 200, cursor })
      cursor = page.cursor
      for (const run of page.items) {
        if (await sweepRun(context, run, now))
          stalled.push(run.id)
      }
    } while (cursor)
  }
  return stalled
}

/** One run's part of the sweep; true when it marked the run stalled. */
async function sweepRun(context: NventContext, run: RunRecord, now: number): Promise<boolean> {
  const { stallTimeout, checkInterval } = context.options.flow.stallDetection
  const quiet = now - run.updatedAt
  if (await failIfNotInBuild(context, run) || quiet < Math.min(checkInterval, stallTimeout))
    return false
  const queuedAlive = await requeueLostJobs(context, run)
  if (quiet < stallTimeout)
    return false
  if (Object.values(run.steps).some(step => step.status === 'awaiting')) {
    if (await context.adapters.store.kvClaim(rearmClaim(run.id), context.instanceId, { ttl: stallTimeout }))
      await settleSteps(context, run, Object.keys(run.steps), { hook: false })
    return false
  }
  if (queuedAlive)
    return false
  return Boolean(await endRun(context, run.id, current => stallRun(current, stallTimeout, Date.now()), 'run stalled'))
}

/**
 * Enqueues again each queued step of the run whose job the queue does not have (a job id repeats the
 * activation, so a job that exists is never doubled). True when some queued step has a job the queue will run.
 */
async function requeueLostJobs(context: NventContext, run: RunRecord): Promise<boolean> {
  const flow = context.registry.flows[run.flowName]!
  let alive = false
  for (const [step, record] of Object.entries(run.steps)) {
    if (record.status !== 'queued')
      continue
    const job = await context.adapters.queue.getJob(flow.steps[step]!.queue, stepJobId(run.id, step))
    if (!job)
      await enqueueSteps(context, run, [step])
    alive ||= !job || LIVE_JOB_STATES.includes(job.state)
  }
  return alive
}

/** Sweeps every `checkInterval`, on one instance at a time. */
export function startStallSweep(context: NventContext): () => void {
  const { enabled, checkInterval } = context.options.flow.stallDetection
  return enabled ? everyIntervalOnce(context, SWEEP_CLAIM, checkInterval, 'the stall sweep', () => sweepStalledRuns(context)) : () => {}
}
