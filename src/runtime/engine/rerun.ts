/** The run a rerun creates, as a pure function of the run it reruns (see `FlowApi.rerun`). */
import type { RunTransition } from '../contracts/store'
import type { RegistryFlow } from '../types/registry'
import type { RunEventInput, RunRecord, RunStatus } from '../types/run'
import { activate, activateReady } from './activation'
import { completeIfDone, event, newRun } from './transitions'

/** Runs that ended without completing: what a rerun from the failed step takes. */
export const RERUNNABLE_FROM_FAILED: readonly RunStatus[] = ['failed', 'canceled', 'stalled']

/**
 * A new run of `original`'s flow with `input`, linked by `rerunOf` and keeping its trigger. From the failed
 * step, it holds the original's completed steps (marked `reused`) and its emits, which only completions
 * commit, and `rerunFrom` names what it activates: the entry if it did not complete, and every step of
 * this build's graph that is not completed and whose subscribes are all emitted. A step paused after its
 * completion (`awaitAfter`) was not completed, so it runs again. If this graph leaves nothing to
 * activate, the run completes at once instead of waiting on nothing.
 */
export function createRerun(original: RunRecord, flow: RegistryFlow, id: string, input: unknown, fromFailedStep: boolean, now: number): RunTransition {
  const run = newRun(flow, id, input, now, { trigger: original.trigger, rerunOf: original.id })
  if (fromFailedStep) {
    for (const [name, record] of Object.entries(original.steps)) {
      if (record.status === 'completed')
        run.steps[name] = { ...record, reused: true }
    }
    run.emitted = { ...original.emitted }
  }
  const events: RunEventInput[] = []
  const entry = run.steps[flow.entry] ? [] : [flow.entry]
  for (const step of entry)
    activate(run, flow, step, now, events)
  const rerunFrom = [...entry, ...activateReady(run, flow, now, events)]
  if (fromFailedStep)
    run.rerunFrom = rerunFrom
  events.unshift(event(run, 'flow.start', { data: { input, rerunOf: original.id, ...(fromFailedStep && { rerunFrom }) } }))
  completeIfDone(run, now, events)
  return { run, events }
}
