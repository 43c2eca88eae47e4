/** The queue half of the public API, and the workers that run every function's jobs. */
import type { Job, QueueAdapter, QueueWorker } from '../contracts/queue'
import { runTimerJob } from '../awaits/awaits'
import type { TimerJobData } from '../awaits/timers'
import { TIMER_QUEUE } from '../awaits/timers'
import { NventError } from '../errors'
import type { Registry, RegistryFunction } from '../types/registry'
import { createHandlerContext, plainJobScope } from './handler-context'
import type { NventContext } from './nvent-context'
import type { FlowApi } from '../types/flow'
import type { QueueApi } from '../types/queue'
import type { StepJobData } from './step-job'
import { isStepJob, runStepJob } from './step-job'

export function queueNames(registry: Registry): string[] {
  return [...new Set(Object.values(registry.functions).map(fn => fn.queue))]
}

export function createQueueApi(context: NventContext): QueueApi {
  const { queue } = context.adapters
  return {
    async enqueue(name, job) {
      const fn = context.registry.functions[job.name]
      if (!fn || fn.queue !== name) {
        const here = Object.values(context.registry.functions).filter(f => f.queue === name).map(f => f.id)
        throw new Error(`nvent: queue "${name}" has no function "${job.name}" (its functions: ${here.join(', ') || 'none'})`)
      }
      if (fn.flow)
        throw new Error(`nvent: "${job.name}" is a step of flow "${fn.flow.name}"; start the flow with useNvent().flow.start("${fn.flow.name}", input)`)
      return queue.enqueue(name, { ...job, opts: { attempts: fn.attempts, backoff: fn.backoff, ...job.opts } })
    },
    getJob: (name, id) => queue.getJob(name, id),
    getJobs: (name, query) => queue.getJobs(name, query),
    counts: name => queue.counts(name),
    async retryJob(name, id) {
      const job = await queue.getJob(name, id)
      // Its run failed with it: a job run outside the run would find the step's record ended and do nothing.
      if (job && isStepJob(job)) {
        const { runId, step } = job.data
        throw new NventError(`nvent: job "${id}" of queue "${name}" is step "${step}" of run "${runId}": a failed step belongs to its run, so rerun the run from its failed step instead, with useNvent().flow.rerun("${runId}", { fromFailedStep: true })`, 409)
      }
      return queue.retryJob(name, id)
    },
    removeJob: (name, id) => queue.removeJob(name, id),
    pause: name => queue.pause(name),
    resume: name => queue.resume(name),
    isPaused: name => queue.isPaused(name),
    names: () => queueNames(context.registry),
  }
}

/**
 * A plain (non-flow) function's job: the handler gets the job data and a context without a run. Its
 * state goes when the job ends for good, unless `store.state.cleanup` keeps it ('never') or times it ('ttl').
 */
async function runPlainJob(context: NventContext, flows: FlowApi, fn: RegistryFunction, job: Job): Promise<unknown> {
  const controller = new AbortController()
  const handler = createHandlerContext(context, flows, job, controller.signal)
  let ended = true
  try {
    return await context.handlers[fn.id]!(job.data, handler.ctx)
  }
  catch (error) {
    ended = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
    throw error
  }
  finally {
    // A plain job has no run log: nothing is left to write.
    await handler.settle()
    const { cleanup } = context.options.store.state
    if (ended && (cleanup === 'on-complete' || cleanup === 'immediate'))
      await context.adapters.store.stateClear(plainJobScope(job))
  }
}

/** Starts one worker per queue; a queue's concurrency is the largest any of its functions asks for. */
export function startWorkers(context: NventContext, flows: FlowApi): QueueWorker[] {
  const byQueue = new Map<string, RegistryFunction[]>()
  for (const fn of Object.values(context.registry.functions))
    byQueue.set(fn.queue, [...(byQueue.get(fn.queue) ?? []), fn])

  const timers = context.adapters.queue.process(TIMER_QUEUE, job => runTimerJob(context, job as Job<TimerJobData>), {
    concurrency: context.options.queue.worker.concurrency,
  })
  return [timers, ...[...byQueue].map(([name, fns]) => {
    const concurrency = Math.max(...fns.map(fn => fn.concurrency ?? context.options.queue.worker.concurrency))
    const limiter = fns.find(fn => fn.limiter)?.limiter
    return context.adapters.queue.process(name, async (job) => {
      const fn = context.registry.functions[job.name]
      // A step job is recognized by its data: a deploy may have renamed its function while it waited.
      if (fn?.flow || (!fn && isStepJob(job)))
        return runStepJob(context, flows, job as Job<StepJobData>)
      if (!fn)
        throw new Error(`nvent: no function "${job.name}" in this build for job ${job.id} of queue "${name}"`)
      return runPlainJob(context, flows, fn, job)
    }, { concurrency, limiter })
  })]
}
