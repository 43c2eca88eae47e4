/** How an await ends: resolved (by time, a webhook, an event or by hand), timed out, or rejected. */
import type { RunTransition } from '../contracts/store'
import type { AwaitPhase } from '../types/await'
import type { RegistryFlow } from '../types/registry'
import type { RunEventInput, RunRecord, StepAwait } from '../types/run'
import { clone, commitEmits, completeIfDone, event, finish } from './transitions'

export interface AwaitEnding {
  outcome: NonNullable<StepAwait['outcome']>
  payload?: unknown
  /** Why the step fails: a rejection's reason, or the timeout with `timeoutAction: 'fail'`. */
  failure?: string
}

/** The step's open await in `phase`, if the run is still waiting on it. */
export function openAwaitOf(run: RunRecord, step: string, phase?: AwaitPhase): StepAwait | undefined {
  const record = run.steps[step]
  if (run.status !== 'running' || record?.status !== 'awaiting' || !record.await || record.await.outcome)
    return undefined
  return phase && record.await.phase !== phase ? undefined : record.await
}

/**
 * Ends the step's open await. Before the step: it is queued to run (with the payload as `ctx.trigger`).
 * After it: its kept emits are committed and activate the next steps. A failure fails the step and the run.
 */
export function endAwait(current: RunRecord, flow: RegistryFlow, step: string, phase: AwaitPhase, ending: AwaitEnding, now: number): RunTransition | null {
  const open = openAwaitOf(current, step, phase)
  if (!open)
    return null
  const run = clone(current, now)
  const record = run.steps[step]!
  const { pendingEmits = [], ...kept } = open
  record.await = { ...kept, outcome: ending.outcome, resolvedAt: now, ...(ending.payload !== undefined && { payload: ending.payload }) }
  const shown = { phase, type: open.type, outcome: ending.outcome, payload: ending.payload, ...(ending.failure && { error: ending.failure }) }
  const events: RunEventInput[] = [event(run, ending.outcome === 'timeout' ? 'await.timeout' : 'await.resolved', { step, data: shown })]

  if (ending.failure) {
    Object.assign(record, { status: 'failed', error: ending.failure, finishedAt: now })
    finish(run, 'failed', now, `step "${step}" failed: ${ending.failure}`)
    events.push(event(run, 'step.failed', { step, data: { error: ending.failure } }), event(run, 'flow.failed', { step, data: { error: run.error } }))
    return { run, events }
  }
  if (phase === 'before') {
    Object.assign(record, { status: 'queued', queuedAt: now })
    return { run, events }
  }
  const activated = commitEmits(run, flow, step, record.attempt, pendingEmits, now, events)
  Object.assign(record, { status: 'completed', finishedAt: now, activated })
  completeIfDone(run, now, events)
  return { run, events }
}
