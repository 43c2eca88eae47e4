/**
 * After a transition commits, its activated steps need their side effects: a queued step its job, an
 * awaiting one its await's timer, index entries and hook. Redelivery calls the same, so both are idempotent.
 * A transition that ends a run needs its own: handlers stopped, awaits released, events published.
 */
import type { RunMutation } from '../contracts/store'
import type { RunRecord } from '../types/run'
import type { NventContext } from './nvent-context'
import { publishEvents } from './nvent-context'
import { notInBuildReason, stepJobId, stepsNotInBuild } from './graph'
import type { StepJobData } from './step-job'
import { failRun } from './transitions'

/** Enqueues activations with their deterministic job ids (a repeat of the same activation adds nothing). */
export async function enqueueSteps(context: NventContext, run: RunRecord, steps: string[]): Promise<void> {
  const flow = context.registry.flows[run.flowName]!
  for (const step of steps) {
    const fn = context.registry.functions[flow.steps[step]!.functionId]!
    const data: StepJobData = { runId: run.id, flowName: run.flowName, step }
    await context.adapters.queue.enqueue(fn.queue, {
      name: fn.id,
      data,
      opts: { jobId: stepJobId(run.id, step), attempts: fn.attempts, backoff: fn.backoff },
    })
  }
}

/** `hook: false` re-registers awaits without calling `onAwaitRegister` again (repairs). */
export async function settleSteps(context: NventContext, run: RunRecord, steps: string[], options = { hook: true }): Promise<void> {
  if (await failIfNotInBuild(context, run, steps))
    return
  const queued = steps.filter(step => run.steps[step]?.status === 'queued')
  await enqueueSteps(context, run, queued)
  for (const step of steps) {
    if (run.steps[step]?.status === 'awaiting')
      await context.effects.registerAwait(run, step, options)
  }
}

/**
 * A run that a transition here ended (completed, canceled, failed, stalled): its handlers running on this
 * instance stop (other instances hear of it through the stream), its open awaits drop their index
 * entries, and its state goes if `store.state.cleanup` says so. A crash before this leaves the state to
 * go with the run when retention removes it.
 */
export async function settleEnded(context: NventContext, run: RunRecord, reason: string): Promise<void> {
  context.running.abortRun(run.id, reason)
  await context.effects.releaseAwaits(run)
  const { cleanup } = context.options.store.state
  if (cleanup === 'immediate' || (cleanup === 'on-complete' && run.status === 'completed'))
    await context.adapters.store.stateClear(run.id)
}

/** Commits a transition that ends the run, then settles the ending. Null when `mutate` found nothing to end. */
export async function endRun(context: NventContext, runId: string, mutate: RunMutation, reason: string): Promise<RunRecord | null> {
  const done = await context.adapters.store.updateRun(runId, mutate)
  if (!done)
    return null
  await settleEnded(context, done.run, reason)
  publishEvents(context, done.events)
  return done.run
}

/**
 * Fails the run at once, naming the steps, when this build lacks unfinished steps of it (among `steps`):
 * a deploy renamed or removed them, and waiting would only leave the run hanging until the stall sweep.
 */
export async function failIfNotInBuild(context: NventContext, run: RunRecord, steps?: string[]): Promise<boolean> {
  const missing = stepsNotInBuild(context.registry.flows[run.flowName], run, steps)
  if (missing.length === 0)
    return false
  const reason = notInBuildReason(run.flowName, missing)
  await endRun(context, run.id, current => failRun(current, reason, Date.now()), reason)
  return true
}
