/**
 * Every change of a run, as pure functions from the current record to the next one and the events that
 * record the change. The store applies them atomically; nothing else writes a run.
 */
import type { RunTransition } from '../contracts/store'
import type { RegistryFlow } from '../types/registry'
import type { RunEventInput, RunOrigin, RunRecord, StepError, StepRecord } from '../types/run'
import type { Failure } from '../failure'
import { activate, activateReady, describeAwait, openAwait } from './activation'
import { isUnfinished } from './graph'

export interface EmittedEvent { name: string, data: unknown }

export function event(run: RunRecord, type: RunEventInput['type'], extra: Partial<RunEventInput> = {}): RunEventInput {
  return { type, runId: run.id, flowName: run.flowName, ...extra }
}

export function clone(run: RunRecord, now: number): RunRecord {
  const steps: Record<string, StepRecord> = {}
  for (const [name, step] of Object.entries(run.steps))
    steps[name] = { ...step }
  return { ...run, steps, emitted: { ...run.emitted }, updatedAt: now }
}

/** Ends a run: unfinished steps are canceled so none of them starts or commits afterwards. */
export function finish(run: RunRecord, status: RunRecord['status'], now: number, error?: string) {
  run.status = status
  run.finishedAt = now
  if (error)
    run.error = error
  for (const step of Object.values(run.steps)) {
    if (isUnfinished(step.status)) {
      step.status = 'canceled'
      step.finishedAt = now
    }
  }
}

/** A new running run with nothing activated yet. */
export function newRun(flow: RegistryFlow, id: string, input: unknown, now: number, origin: RunOrigin & Pick<RunRecord, 'rerunOf'> = {}): RunRecord {
  const { parentRunId, trigger, rerunOf } = origin
  return {
    id,
    flowName: flow.name,
    status: 'running',
    input,
    ...(parentRunId ? { parentRunId } : {}),
    ...(trigger ? { trigger } : {}),
    ...(rerunOf ? { rerunOf } : {}),
    steps: {},
    emitted: {},
    createdAt: now,
    updatedAt: now,
  }
}

export function createRun(flow: RegistryFlow, id: string, input: unknown, now: number, origin: RunOrigin = {}): RunTransition {
  const run = newRun(flow, id, input, now, origin)
  const events = [event(run, 'flow.start', { data: { input, parentRunId: origin.parentRunId } })]
  if (origin.trigger)
    events.push(event(run, 'trigger.fired', { data: origin.trigger }))
  activate(run, flow, flow.entry, now, events)
  return { run, events }
}

/** Claims an attempt of an activated step. Null when the run or the step no longer takes attempts. */
export function beginAttempt(current: RunRecord, step: string, attempt: number, now: number): RunTransition | null {
  const record = current.steps[step]
  if (current.status !== 'running' || !record || !['queued', 'running', 'retrying'].includes(record.status))
    return null
  const run = clone(current, now)
  Object.assign(run.steps[step]!, { status: 'running', attempt, startedAt: now })
  return { run, events: [event(run, 'step.started', { step, attempt })] }
}

function isCurrentAttempt(run: RunRecord, step: string, attempt: number): boolean {
  const record = run.steps[step]
  return run.status === 'running' && record?.status === 'running' && record.attempt === attempt
}

/**
 * Records the step's emits in the run and activates every step whose subscribes are now all emitted.
 * Returns the activated steps.
 */
export function commitEmits(run: RunRecord, flow: RegistryFlow, step: string, attempt: number | undefined, emits: EmittedEvent[], now: number, events: RunEventInput[]): string[] {
  for (const emit of emits) {
    const first = !(emit.name in run.emitted)
    if (first)
      run.emitted[emit.name] = emit.data
    events.push(event(run, 'emit', { step, attempt, data: { name: emit.name, payload: emit.data, ...(first ? {} : { duplicate: true }) } }))
  }
  return activateReady(run, flow, now, events)
}

/** Completes the run when nothing is left unfinished. */
export function completeIfDone(run: RunRecord, now: number, events: RunEventInput[]): void {
  if (Object.values(run.steps).some(s => isUnfinished(s.status)))
    return
  finish(run, 'completed', now)
  events.push(event(run, 'flow.completed', { data: { durationMs: now - run.createdAt } }))
}

/**
 * Commits a step's success with its emits, activates every step whose subscribes are now all emitted,
 * and completes the run when nothing is left unfinished. A step with `awaitAfter` pauses instead: its
 * emits are kept until the await resolves.
 */
export function completeStep(current: RunRecord, flow: RegistryFlow, step: string, attempt: number, emits: EmittedEvent[], output: unknown, now: number): RunTransition | null {
  if (!isCurrentAttempt(current, step, attempt))
    return null
  const run = clone(current, now)
  const record = run.steps[step]!
  const awaitAfter = flow.steps[step]?.awaitAfter
  if (awaitAfter) {
    const opened = { ...openAwait(awaitAfter, 'after', run, now), pendingEmits: emits }
    Object.assign(record, { status: 'awaiting', output, await: opened })
    return {
      run,
      events: [
        event(run, 'step.completed', { step, attempt, data: { output, awaiting: true } }),
        event(run, 'await.registered', { step, data: describeAwait(opened) }),
      ],
    }
  }
  const events: RunEventInput[] = []
  const activated = commitEmits(run, flow, step, attempt, emits, now, events)
  Object.assign(record, { status: 'completed', finishedAt: now, output, activated })
  events.unshift(event(run, 'step.completed', { step, attempt, data: { output, activated } }))
  completeIfDone(run, now, events)
  return { run, events }
}

/**
 * Keeps a failed attempt's error on its step: `error` its message, `errors` its entry. An attempt that
 * failed before and ran again (its worker stopped before the queue heard of the failure) keeps one entry.
 */
function recordFailure(record: StepRecord, attempt: number, failure: Failure, now: number): void {
  const entry: StepError = { attempt, ...failure, at: now }
  record.error = failure.message
  record.errors = [...(record.errors ?? []).filter(e => e.attempt !== attempt), entry]
}

/** Records a failed attempt that the queue will retry. */
export function retryStep(current: RunRecord, step: string, attempt: number, failure: Failure, now: number): RunTransition | null {
  if (!isCurrentAttempt(current, step, attempt))
    return null
  const run = clone(current, now)
  const record = run.steps[step]!
  record.status = 'retrying'
  recordFailure(record, attempt, failure, now)
  const { message: error, ...trace } = failure
  return { run, events: [event(run, 'step.retry', { step, attempt, data: { error, ...trace, nextAttempt: attempt + 1 } })] }
}

/** A step exhausted its attempts: the step and the run fail, and nothing else of the run starts. */
export function failStep(current: RunRecord, step: string, attempt: number, failure: Failure, now: number): RunTransition | null {
  if (!isCurrentAttempt(current, step, attempt))
    return null
  const run = clone(current, now)
  const record = run.steps[step]!
  Object.assign(record, { status: 'failed', finishedAt: now })
  recordFailure(record, attempt, failure, now)
  const { message: error, ...trace } = failure
  finish(run, 'failed', now, `step "${step}" failed: ${error}`)
  return {
    run,
    events: [
      event(run, 'step.failed', { step, attempt, data: { error, ...trace } }),
      event(run, 'flow.failed', { step, data: { error: run.error } }),
    ],
  }
}

/** Fails a running run for a reason outside its handlers, such as a step this build no longer has. */
export function failRun(current: RunRecord, reason: string, now: number): RunTransition | null {
  if (current.status !== 'running')
    return null
  const run = clone(current, now)
  finish(run, 'failed', now, reason)
  return { run, events: [event(run, 'flow.failed', { data: { error: reason } })] }
}

export function cancelRun(current: RunRecord, now: number): RunTransition | null {
  if (current.status !== 'running')
    return null
  const run = clone(current, now)
  finish(run, 'canceled', now)
  return { run, events: [event(run, 'flow.cancel')] }
}

/**
 * Marks a run stalled if it has made no progress for `stallTimeout` ms (re-checked inside the transition).
 * A run paused on an await is waiting, not stalled: the await's own timeout governs it.
 */
export function stallRun(current: RunRecord, stallTimeout: number, now: number): RunTransition | null {
  const idleMs = now - current.updatedAt
  if (current.status !== 'running' || idleMs < stallTimeout || Object.values(current.steps).some(s => s.status === 'awaiting'))
    return null
  const run = clone(current, now)
  finish(run, 'stalled', now, `no progress for ${idleMs} ms`)
  return { run, events: [event(run, 'flow.stalled', { data: { idleMs } })] }
}
