/** Runs one queue job of a flow step: claim the attempt, run the handler, commit the outcome. */
import type { Job } from '../contracts/queue'
import type { RunMutation, RunTransition } from '../contracts/store'
import { failureOf } from '../failure'
import type { RunEventInput, RunRecord } from '../types/run'
import { RunEndedError } from './running-handlers'
import { createHandlerContext } from './handler-context'
import type { NventContext } from './nvent-context'
import { publishEvents } from './nvent-context'
import { recordEvents, redact } from './run-log'
import type { FlowApi } from '../types/flow'
import { stepInput } from './graph'
import { failIfNotInBuild, settleEnded, settleSteps } from './settle'
import { beginAttempt, completeStep, failStep, retryStep } from './transitions'

/** The data of a step job. Its input is read from the run record, so the queue never holds a copy. */
export interface StepJobData {
  runId: string
  flowName: string
  step: string
}

/** Whether a job is a flow step's: its data names the run and the step, whatever this build calls its function. */
export function isStepJob(job: Job): job is Job<StepJobData> {
  const data = job.data as Partial<StepJobData> | null
  return typeof data?.runId === 'string' && typeof data.flowName === 'string' && typeof data.step === 'string'
}

async function transition(context: NventContext, runId: string, mutate: RunMutation) {
  const done = await context.adapters.store.updateRun(runId, mutate)
  if (done)
    publishEvents(context, done.events)
  return done
}

/** Rejects after `ms` (aborting the handler's signal) unless the work settles first. */
function withTimeout<T>(work: Promise<T>, ms: number | undefined, controller: AbortController): Promise<T> {
  if (!ms)
    return work
  let timer: ReturnType<typeof setTimeout>
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`step timed out after ${ms} ms`)
      controller.abort(error)
      reject(error)
    }, ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

export async function runStepJob(context: NventContext, flows: FlowApi, job: Job<StepJobData>): Promise<unknown> {
  const { runId, flowName, step } = job.data
  const flow = context.registry.flows[flowName]
  const def = flow?.steps[step]
  if (!flow || !def) {
    // A deploy renamed or removed the step while its job waited: the run fails at once, saying so.
    const run = await context.adapters.store.getRun(runId)
    if (run)
      await failIfNotInBuild(context, run, [step])
    return undefined
  }
  const attempt = job.attemptsMade + 1
  const begun = await transition(context, runId, run => beginAttempt(run, step, attempt, Date.now()))
  if (!begun)
    return redeliverActivations(context, runId, step)

  const controller = context.running.track(runId)
  const scope = { runId, flowName, step, emits: def.emits }
  const handler = createHandlerContext(context, flows, job, controller.signal, { ...scope, trigger: stepTrigger(flow.entry, step, begun.run) })
  let output: unknown
  let done: Awaited<ReturnType<typeof transition>>
  try {
    const input = stepInput(flow, step, begun.run)
    output = await withTimeout(Promise.resolve().then(() => context.handlers[def.functionId]!(input, handler.ctx)), def.stepTimeout, controller)
    const logged = await handler.settle()
    done = await context.adapters.store.updateRun(runId, run => after(logged, completeStep(run, flow, step, attempt, handler.emitted, output ?? null, Date.now())))
    if (!done)
      await keepEvents(context, runId, logged)
  }
  catch (error) {
    const logged = await handler.settle()
    if (controller.signal.reason instanceof RunEndedError)
      return keepEvents(context, runId, logged)
    const final = attempt >= (job.opts.attempts ?? 1)
    // A failure's message and stack may quote an await URL (a failed call to it, say): its token stays out of the run.
    const failure = redact(context, failureOf(error))
    const recorded = await transition(context, runId, run => after(logged, final
      ? failStep(run, step, attempt, failure, Date.now())
      : retryStep(run, step, attempt, failure, Date.now())))
    if (!recorded)
      return keepEvents(context, runId, logged)
    if (final)
      await settleEnded(context, recorded.run, 'run failed')
    throw error
  }
  finally {
    context.running.release(runId, controller)
  }
  // Outside the try: what follows the commit may fail too, and then the job fails, so the queue delivers
  // it again and `redeliverActivations` does it over (a failure here must not count as the step's).
  if (done) {
    // The next steps are enqueued before the live publish: the hop to them is the latency that counts.
    await settleAfterCompletion(context, done.run, step)
    publishEvents(context, done.events)
  }
  return output
}

/** The transition with the step's own events (logs, state notes, progress) committed ahead of its events. */
function after(logged: RunEventInput[], transition: RunTransition | null): RunTransition | null {
  return transition && logged.length ? { run: transition.run, events: [...logged, ...transition.events] } : transition
}

/** A step whose outcome did not commit (its run ended meanwhile) still gets its events into the log. */
async function keepEvents(context: NventContext, runId: string, logged: RunEventInput[]): Promise<undefined> {
  if (logged.length)
    await recordEvents(context, runId, logged).catch(() => {})
  return undefined
}

/** `ctx.trigger`: what resolved the step's `awaitBefore`, else for the entry the firing's data. */
function stepTrigger(entry: string, step: string, run: RunRecord): unknown {
  const awaited = run.steps[step]?.await
  if (awaited?.phase === 'before')
    return awaited.payload
  return step === entry ? run.trigger?.data : undefined
}

/**
 * A completed step settles what it activated and delivers its emits as events; one that pauses on
 * `awaitAfter` registers its await instead (its emits wait for the await).
 */
async function settleAfterCompletion(context: NventContext, run: RunRecord, step: string): Promise<void> {
  const record = run.steps[step]!
  if (record.status === 'awaiting')
    return context.effects.registerAwait(run, step, { hook: true })
  await settleSteps(context, run, record.activated ?? [])
  if (record.status === 'completed')
    await context.effects.deliverEmits(run, step)
  if (run.status === 'completed')
    await settleEnded(context, run, 'run completed')
}

/**
 * A job whose attempt cannot begin was delivered again: if its step already completed, the process may
 * have stopped between committing and settling, so settle again (ids and index writes make it idempotent).
 */
async function redeliverActivations(context: NventContext, runId: string, step: string): Promise<undefined> {
  const run = await context.adapters.store.getRun(runId)
  const record = run?.steps[step]
  if ((run?.status === 'running' || run?.status === 'completed') && (record?.status === 'completed' || record?.await?.phase === 'after'))
    await settleAfterCompletion(context, run, step)
  return undefined
}
