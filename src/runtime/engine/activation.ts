/**
 * Activating a step: it is queued, or it pauses on its `awaitBefore` first. Shared by every transition
 * that activates steps, so an await is opened the same way whatever activated the step.
 */
import type { AwaitConfig, AwaitPhase } from '../types/await'
import type { RegistryFlow } from '../types/registry'
import type { RunEventInput, RunRecord, StepAwait } from '../types/run'
import { activatableSteps } from './graph'

/**
 * The await a step opens in `phase`, from its config. A webhook await's token is not part of it: it is
 * derived from the run, step and phase under a secret the store keeps, so no record or read API holds it.
 */
export function openAwait(config: AwaitConfig, phase: AwaitPhase, run: RunRecord, now: number): StepAwait {
  const opened: StepAwait = { phase, type: config.type, registeredAt: now }
  if (config.type === 'time') {
    opened.resumeAt = config.until ? Date.parse(config.until) : now + (config.delay ?? 0)
    return opened
  }
  if (config.timeout)
    opened.deadline = now + config.timeout
  opened.timeoutAction = config.timeoutAction ?? 'fail'
  if (config.type === 'event') {
    opened.event = config.event
    if (config.match) {
      opened.matchKey = config.match
      opened.matchValue = (run.input as Record<string, unknown> | null)?.[config.match] ?? null
    }
  }
  return opened
}

/** What `await.registered` says about an await: everything but the emits it keeps. */
export function describeAwait(opened: StepAwait): Record<string, unknown> {
  const { pendingEmits: _emits, ...shown } = opened
  return shown
}

/** Activates `step` in `run` (mutated), appending the events that record it. */
export function activate(run: RunRecord, flow: RegistryFlow, step: string, now: number, events: RunEventInput[]): void {
  const config = flow.steps[step]?.awaitBefore
  if (!config) {
    run.steps[step] = { status: 'queued', attempt: 0, queuedAt: now }
    return
  }
  const opened = openAwait(config, 'before', run, now)
  run.steps[step] = { status: 'awaiting', attempt: 0, queuedAt: now, await: opened }
  events.push({ type: 'await.registered', runId: run.id, flowName: run.flowName, step, data: describeAwait(opened) })
}

/** Activates every step not yet activated whose subscribes have all been emitted; returns them. */
export function activateReady(run: RunRecord, flow: RegistryFlow, now: number, events: RunEventInput[]): string[] {
  const activated = activatableSteps(flow, run)
  for (const name of activated)
    activate(run, flow, name, now, events)
  return activated
}
