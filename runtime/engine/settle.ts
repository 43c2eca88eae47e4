/**
 * After a transition commits, its activated steps need their side effects: a queued step its job, an
 * awaiting one its await's timer, index entries and hook. Redelivery calls the same, so both are idempotent.
 */
import { registerAwait, releaseAwaits } from '../scheduler/await-register'
import type { RunRecord } from '../types/run'
import type { Engine } from './engine'
import { enqueueSteps } from './step-job'

/** `hook: false` re-registers awaits without calling `onAwaitRegister` again (repairs). */
export async function settleSteps(engine: Engine, run: RunRecord, steps: string[], options = { hook: true }): Promise<void> {
  const queued = steps.filter(step => run.steps[step]?.status === 'queued')
  await enqueueSteps(engine, run, queued)
  for (const step of steps) {
    if (run.steps[step]?.status === 'awaiting')
      await registerAwait(engine, run, step, options)
  }
}

/**
 * A run that a transition here ended (canceled, failed, stalled): its handlers running on this instance
 * stop (other instances hear of it through the stream), and its open awaits drop their index entries.
 */
export async function settleEnded(engine: Engine, run: RunRecord, reason: string): Promise<void> {
  engine.active.abortRun(run.id, reason)
  await releaseAwaits(engine, run)
}
