/**
 * After a transition commits, its activated steps need their side effects: a queued step its job, an
 * awaiting one its await's timer, index entries and hook. Redelivery calls the same, so both are idempotent.
 * A transition that ends a run needs its own: handlers stopped, awaits released, events published.
 */
import type { RunMutation } from '../contracts/store'
import { registerAwait, releaseAwaits } from '../scheduler/await-register'
import type { RunRecord } from '../types/run'
import type { Engine } from './engine'
import { publishEvents } from './engine'
import { notInBuildReason, stepsNotInBuild } from './graph'
import { enqueueSteps } from './step-job'
import { failRun } from './transitions'

/** `hook: false` re-registers awaits without calling `onAwaitRegister` again (repairs). */
export async function settleSteps(engine: Engine, run: RunRecord, steps: string[], options = { hook: true }): Promise<void> {
  if (await failIfNotInBuild(engine, run, steps))
    return
  const queued = steps.filter(step => run.steps[step]?.status === 'queued')
  await enqueueSteps(engine, run, queued)
  for (const step of steps) {
    if (run.steps[step]?.status === 'awaiting')
      await registerAwait(engine, run, step, options)
  }
}

/**
 * A run that a transition here ended (completed, canceled, failed, stalled): its handlers running on this
 * instance stop (other instances hear of it through the stream), its open awaits drop their index
 * entries, and its state goes if `store.state.cleanup` says so. A crash before this leaves the state to
 * go with the run when retention removes it.
 */
export async function settleEnded(engine: Engine, run: RunRecord, reason: string): Promise<void> {
  engine.active.abortRun(run.id, reason)
  await releaseAwaits(engine, run)
  const { cleanup } = engine.options.store.state
  if (cleanup === 'immediate' || (cleanup === 'on-complete' && run.status === 'completed'))
    await engine.adapters.store.stateClear(run.id)
}

/** Commits a transition that ends the run, then settles the ending. Null when `mutate` found nothing to end. */
export async function endRun(engine: Engine, runId: string, mutate: RunMutation, reason: string): Promise<RunRecord | null> {
  const done = await engine.adapters.store.updateRun(runId, mutate)
  if (!done)
    return null
  await settleEnded(engine, done.run, reason)
  await publishEvents(engine, done.events)
  return done.run
}

/**
 * Fails the run at once, naming the steps, when this build lacks unfinished steps of it (among `steps`):
 * a deploy renamed or removed them, and waiting would only leave the run hanging until the stall sweep.
 */
export async function failIfNotInBuild(engine: Engine, run: RunRecord, steps?: string[]): Promise<boolean> {
  const missing = stepsNotInBuild(engine.registry.flows[run.flowName], run, steps)
  if (missing.length === 0)
    return false
  const reason = notInBuildReason(run.flowName, missing)
  await endRun(engine, run.id, current => failRun(current, reason, Date.now()), reason)
  return true
}
