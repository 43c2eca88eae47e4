/** Ends an await (any way it ends) and carries out what follows: the next jobs, hooks and event delivery. */
import type { AwaitPhase } from '../types/await'
import type { RunRecord, StepAwait } from '../types/run'
import type { AwaitEnding } from '../engine/await-transitions'
import { endAwait, openAwaitOf } from '../engine/await-transitions'
import type { Engine } from '../engine/engine'
import { publishEvents } from '../engine/engine'
import { notInBuildReason } from '../engine/graph'
import { settleEnded, settleSteps } from '../engine/settle'
import { failRun } from '../engine/transitions'
import { awaitInfo, unregisterAwait } from './await-register'
import { committedEmits, deliverEmits } from './events'
import { callAwaitHook } from './hooks'

/**
 * Something found an await already ended (a timer or a webhook after the first ending won): the process
 * that ended it may have stopped before carrying out what follows, so do it again. Job ids, index writes
 * and run ids of event-triggered runs make every part idempotent.
 */
export async function resettleAwait(engine: Engine, runId: string, step: string): Promise<void> {
  const run = await engine.adapters.store.getRun(runId)
  const ended = run?.steps[step]?.await
  if (run && ended?.outcome)
    await followEnding(engine, run, step, ended)
}

/**
 * What follows an ended await: the step it held (before) or the steps its emits activated (after) are
 * settled, its index entries go, and an after-await's emits are delivered as events.
 */
async function followEnding(engine: Engine, run: RunRecord, step: string, ended: StepAwait): Promise<void> {
  const record = run.steps[step]!
  await settleSteps(engine, run, ended.phase === 'before' ? [step] : record.activated ?? [])
  await unregisterAwait(engine, run, step, ended)
  if (ended.phase === 'after' && record.status === 'completed')
    await deliverEmits(engine, run, committedEmits(engine, run, step))
}

/** Resolves `null` when the await is not open (already ended, or the run is over). */
export async function endAwaitAndSettle(engine: Engine, runId: string, step: string, phase: AwaitPhase, ending: AwaitEnding): Promise<RunRecord | null> {
  const done = await engine.adapters.store.updateRun(runId, (run) => {
    const flow = engine.registry.flows[run.flowName]
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
    await settleEnded(engine, run, `run ${run.status}`)
  await followEnding(engine, run, step, ended)
  await publishEvents(engine, done.events)
  const info = await awaitInfo(engine, run, step, ended)
  if (ended.outcome === 'timeout')
    await callAwaitHook(engine, 'onAwaitTimeout', info)
  else if (ended.outcome === 'resolved')
    await callAwaitHook(engine, 'onAwaitResolve', info, ended.payload)
  return run
}
