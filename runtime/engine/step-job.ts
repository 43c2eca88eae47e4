/** Runs one queue job of a flow step: claim the attempt, run the handler, commit the outcome. */
import type { Job } from '../contracts/queue'
import type { RunMutation } from '../contracts/store'
import { describeFailure } from '../failure'
import { registerAwait } from '../scheduler/await-register'
import { committedEmits, deliverEmits } from '../scheduler/events'
import type { RunRecord } from '../types/run'
import { RunEndedError } from './active'
import { createHandlerContext } from './context'
import type { Engine } from './engine'
import { publishEvents } from './engine'
import { redact } from './run-log'
import type { FlowApi } from './flows'
import { stepInput, stepJobId } from './graph'
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

/** Enqueues activations with their deterministic job ids (a repeat of the same activation adds nothing). */
export async function enqueueSteps(engine: Engine, run: RunRecord, steps: string[]): Promise<void> {
  const flow = engine.registry.flows[run.flowName]!
  for (const step of steps) {
    const fn = engine.registry.functions[flow.steps[step]!.functionId]!
    const data: StepJobData = { runId: run.id, flowName: run.flowName, step }
    await engine.adapters.queue.enqueue(fn.queue, {
      name: fn.id,
      data,
      opts: { jobId: stepJobId(run.id, step), attempts: fn.attempts, backoff: fn.backoff },
    })
  }
}

async function transition(engine: Engine, runId: string, mutate: RunMutation) {
  const done = await engine.adapters.store.updateRun(runId, mutate)
  if (done)
    await publishEvents(engine, done.events)
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

export async function runStepJob(engine: Engine, flows: FlowApi, job: Job<StepJobData>): Promise<unknown> {
  const { runId, flowName, step } = job.data
  const flow = engine.registry.flows[flowName]
  const def = flow?.steps[step]
  if (!flow || !def) {
    // A deploy renamed or removed the step while its job waited: the run fails at once, saying so.
    const run = await engine.adapters.store.getRun(runId)
    if (run)
      await failIfNotInBuild(engine, run, [step])
    return undefined
  }
  const attempt = job.attemptsMade + 1
  const begun = await transition(engine, runId, run => beginAttempt(run, step, attempt, Date.now()))
  if (!begun)
    return redeliverActivations(engine, runId, step)

  const controller = engine.active.track(runId)
  const scope = { runId, flowName, step, emits: def.emits }
  const handler = createHandlerContext(engine, flows, job, controller.signal, { ...scope, trigger: stepTrigger(flow.entry, step, begun.run) })
  let output: unknown
  let done: Awaited<ReturnType<typeof transition>>
  try {
    const input = stepInput(flow, step, begun.run)
    output = await withTimeout(Promise.resolve().then(() => engine.handlers[def.functionId]!(input, handler.ctx)), def.stepTimeout, controller)
    await handler.flush()
    done = await engine.adapters.store.updateRun(runId, run => completeStep(run, flow, step, attempt, handler.emitted, output ?? null, Date.now()))
  }
  catch (error) {
    await handler.flush()
    if (controller.signal.reason instanceof RunEndedError)
      return undefined
    const final = attempt >= (job.opts.attempts ?? 1)
    // A failure's message may quote an await URL (a failed call to it, say): its token stays out of the run.
    const reason = redact(engine, describeFailure(error))
    const recorded = await transition(engine, runId, run => final
      ? failStep(run, step, attempt, reason, Date.now())
      : retryStep(run, step, attempt, reason, Date.now()))
    if (!recorded)
      return undefined
    if (final)
      await settleEnded(engine, recorded.run, 'run failed')
    throw error
  }
  finally {
    engine.active.release(runId, controller)
  }
  // Outside the try: what follows the commit may fail too, and then the job fails, so the queue delivers
  // it again and `redeliverActivations` does it over (a failure here must not count as the step's).
  if (done) {
    // The next steps are enqueued before the live publish: the hop to them is the latency that counts.
    await settleAfterCompletion(engine, done.run, step)
    await publishEvents(engine, done.events)
  }
  return output
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
async function settleAfterCompletion(engine: Engine, run: RunRecord, step: string): Promise<void> {
  const record = run.steps[step]!
  if (record.status === 'awaiting')
    return registerAwait(engine, run, step)
  await settleSteps(engine, run, record.activated ?? [])
  if (record.status === 'completed')
    await deliverEmits(engine, run, committedEmits(engine, run, step))
  if (run.status === 'completed')
    await settleEnded(engine, run, 'run completed')
}

/**
 * A job whose attempt cannot begin was delivered again: if its step already completed, the process may
 * have stopped between committing and settling, so settle again (ids and index writes make it idempotent).
 */
async function redeliverActivations(engine: Engine, runId: string, step: string): Promise<undefined> {
  const run = await engine.adapters.store.getRun(runId)
  const record = run?.steps[step]
  if ((run?.status === 'running' || run?.status === 'completed') && (record?.status === 'completed' || record?.await?.phase === 'after'))
    await settleAfterCompletion(engine, run, step)
  return undefined
}
