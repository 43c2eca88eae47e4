/** Ends an await (any way it ends) and carries out what follows: the next jobs, hooks and event delivery. */
import type { AwaitPhase } from '../types/await'
import type { RunRecord, StepAwait } from '../types/run'
import type { AwaitEnding } from '../engine/await-transitions'
import { endAwait, openAwaitOf } from '../engine/await-transitions'
import type { NventContext } from '../engine/nvent-context'
import { publishEvents } from '../engine/nvent-context'
import { notInBuildReason } from '../engine/graph'
import { settleEnded, settleSteps } from '../engine/settle'
import { failRun } from '../engine/transitions'
import { awaitInfo, unregisterAwait } from './info'
import { callAwaitHook } from './hooks'

/**
 * Something found an await already ended (a timer or a webhook after the first ending won): the process
 * that ended it may have stopped before carrying out what follows, so do it again. Job ids, index writes
 * and run ids of event-triggered runs make every part idempotent.
 */
export async function resettleAwait(context: NventContext, runId: string, step: string): Promise<void> {
  const run = await context.adapters.store.getRun(runId)
  const ended = run?.steps[step]?.await
  if (run && ended?.outcome)
    await followEnding(context, run, step, ended)
}

/**
 * What follows an ended await: the step it held (before) or the steps its emits activated (after) are
 * settled, its index entries go, and an after-await's emits are delivered as events.
 */
async function followEnding(context: NventContext, run: RunRecord, step: string, ended: StepAwait): Promise<void> {
  const record = run.steps[step]!
  await settleSteps(context, run, ended.phase === 'before' ? [step] : record.activated ?? [])
  await unregisterAwait(context, run, step, ended)
  if (ended.phase === 'after' && record.status === 'completed')
    await context.effects.deliverEmits(run, step)
}

/** Resolves `null` when the await is not open (already ended, or the run is over). */
export async function endAwaitAndSettle(context: NventContext, runId: string, step: string, phase: AwaitPhase, ending: AwaitEnding): Promise<RunRecord | null> {
  const done = await context.adapters.store.updateRun(runId, (run) => {
    const flow = context.registry.flows[run.flowName]
    if (flow?.steps[step])
      return endAwait(run, flow, step, phase, ending, Date.now())
    // A deploy renamed or removed the awaiting step: nothing here could run what follows, so the run fails.
    return openAwaitOf(run, step, phase) ? failRun(run, notInBuildReason(run.flowName, [step]), Date.now()) : null
  })
  if (!done)
    return null
  const { run } = done
  const ended = run.steps[step]!.await!
  if (run.status !== 'running')
    await settleEnded(context, run, `run ${run.status}`)
  await followEnding(context, run, step, ended)
  publishEvents(context, done.events)
  const info = await awaitInfo(context, run, step, ended)
  if (ended.outcome === 'timeout')
    await callAwaitHook(context, 'onAwaitTimeout', info)
  else if (ended.outcome === 'resolved')
    await callAwaitHook(context, 'onAwaitResolve', info, ended.payload)
  return run
}
