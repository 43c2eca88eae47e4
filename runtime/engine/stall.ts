/**
 * Stall detection: running runs without progress for `stallTimeout` become `stalled`. A run paused on an
 * await is waiting, not stalled; the sweep re-arms its awaits instead, in case a crash cut their
 * registration short or a timer ran out of retries while the backend was down.
 */
import type { Engine } from './engine'
import { publishEvents } from './engine'
import { settleEnded, settleSteps } from './settle'
import { stallRun } from './transitions'

const SWEEP_CLAIM = 'claim:stall-sweep'

/** Marks stale runs of every flow stalled; returns the ids it marked. */
export async function sweepStalledRuns(engine: Engine, now = Date.now()): Promise<string[]> {
  const { store } = engine.adapters
  const { stallTimeout } = engine.options.flow.stallDetection
  const stalled: string[] = []
  for (const flowName of Object.keys(engine.registry.flows)) {
    let cursor: string | undefined
    do {
      const page = await store.listRuns(flowName, { status: 'running', limit: 200, cursor })
      cursor = page.cursor
      for (const run of page.items.filter(r => now - r.updatedAt >= stallTimeout)) {
        if (Object.values(run.steps).some(step => step.status === 'awaiting')) {
          await settleSteps(engine, run, Object.keys(run.steps), { hook: false })
          continue
        }
        const done = await store.updateRun(run.id, current => stallRun(current, stallTimeout, Date.now()))
        if (!done)
          continue
        await settleEnded(engine, done.run, 'run stalled')
        await publishEvents(engine, done.events)
        stalled.push(run.id)
      }
    } while (cursor)
  }
  return stalled
}

/**
 * Sweeps every `checkInterval`. Each instance ticks, but a tick only sweeps after claiming the interval
 * in the store, so one instance sweeps at a time however many run.
 */
export function startStallSweep(engine: Engine): () => void {
  const { enabled, checkInterval } = engine.options.flow.stallDetection
  if (!enabled)
    return () => {}
  const timer = setInterval(async () => {
    try {
      if (await engine.adapters.store.kvClaim(SWEEP_CLAIM, engine.instanceId, { ttl: Math.max(1, checkInterval - 50) }))
        await sweepStalledRuns(engine)
    }
    catch (error) {
      console.warn('[nvent] stall sweep failed:', error)
    }
  }, checkInterval)
  timer.unref?.()
  return () => clearInterval(timer)
}
