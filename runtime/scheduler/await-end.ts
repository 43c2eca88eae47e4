/** Ends an await (any way it ends) and carries out what follows: the next jobs, hooks and event delivery. */
import type { AwaitPhase } from '../types/await'
import type { RunRecord } from '../types/run'
import type { AwaitEnding } from '../engine/await-transitions'
import { endAwait } from '../engine/await-transitions'
import type { Engine } from '../engine/engine'
import { publishEvents } from '../engine/engine'
import { settleSteps } from '../engine/settle'
import { awaitTokens } from './await-keys'
import { awaitInfo, releaseAwaits, unregisterAwait } from './await-register'
import { deliverEmits } from './events'
import { callAwaitHook } from './hooks'

/**
 * A timer job delivered again after its await ended: the process may have stopped between the commit and
 * what follows, so settle the step again (job ids and index writes make that idempotent).
 */
export async function resettleAwait(engine: Engine, runId: string, step: string): Promise<void> {
  const run = await engine.adapters.store.getRun(runId)
  const record = run?.steps[step]
  if (run?.status !== 'running' || !record?.await?.outcome)
    return
  await settleSteps(engine, run, record.await.phase === 'before' ? [step] : record.activated ?? [])
}

/** Resolves `null` when the await is not open (already ended, another token, run over). */
export async function endAwaitAndSettle(engine: Engine, runId: string, step: string, phase: AwaitPhase, ending: AwaitEnding): Promise<RunRecord | null> {
  const tokens = awaitTokens()
  const done = await engine.adapters.store.updateRun(runId, (run) => {
    const flow = engine.registry.flows[run.flowName]
    return flow ? endAwait(run, flow, step, phase, ending, Date.now(), tokens) : null
  })
  if (!done)
    return null
  const { run } = done
  const record = run.steps[step]!
  const ended = record.await!
  if (run.status === 'failed') {
    engine.active.abortRun(runId, 'run failed')
    await releaseAwaits(engine, run)
  }
  await settleSteps(engine, run, phase === 'before' ? [step] : record.activated ?? [])
  await publishEvents(engine, done.events)
  await unregisterAwait(engine, run, step, ended)
  if (phase === 'after' && record.status === 'completed')
    await deliverEmits(engine, run, done.events)
  const info = awaitInfo(engine, run, step, ended)
  if (ended.outcome === 'timeout')
    await callAwaitHook(engine, 'onAwaitTimeout', info)
  else if (ended.outcome === 'resolved')
    await callAwaitHook(engine, 'onAwaitResolve', info, ended.payload)
  return run
}
