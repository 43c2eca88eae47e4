/**
 * Activating a step: it is queued, or it pauses on its `awaitBefore` first. Shared by every transition
 * that activates steps, so an await is opened the same way whatever activated the step.
 */
import type { AwaitConfig, AwaitPhase } from '../types/await'
import type { RegistryFlow } from '../types/registry'
import type { RunEventInput, RunRecord, StepAwait } from '../types/run'

/** Hands out the secret token of a webhook await; the caller memoizes it so a retried transition reuses it. */
export type AwaitTokens = (step: string, phase: AwaitPhase) => string

/** The await a step opens in `phase`, from its config. */
export function openAwait(config: AwaitConfig, phase: AwaitPhase, run: RunRecord, step: string, now: number, tokens: AwaitTokens): StepAwait {
  const opened: StepAwait = { phase, type: config.type, registeredAt: now }
  if (config.type === 'time') {
    opened.resumeAt = config.until ? Date.parse(config.until) : now + (config.delay ?? 0)
    return opened
  }
  if (config.timeout)
    opened.deadline = now + config.timeout
  opened.timeoutAction = config.timeoutAction ?? 'fail'
  if (config.type === 'webhook') {
    opened.token = tokens(step, phase)
  }
  else {
    opened.event = config.event
    if (config.match) {
      opened.matchKey = config.match
      opened.matchValue = (run.input as Record<string, unknown> | null)?.[config.match] ?? null
    }
  }
  return opened
}

/** What `await.registered` says about an await: everything but its token. */
export function describeAwait(opened: StepAwait): Record<string, unknown> {
  const { token: _token, pendingEmits: _emits, ...shown } = opened
  return shown
}

/** Activates `step` in `run` (mutated), appending the events that record it. */
export function activate(run: RunRecord, flow: RegistryFlow, step: string, now: number, tokens: AwaitTokens, events: RunEventInput[]): void {
  const config = flow.steps[step]?.awaitBefore
  if (!config) {
    run.steps[step] = { status: 'queued', attempt: 0, queuedAt: now }
    return
  }
  const opened = openAwait(config, 'before', run, step, now, tokens)
  run.steps[step] = { status: 'awaiting', attempt: 0, queuedAt: now, await: opened }
  events.push({ type: 'await.registered', runId: run.id, flowName: run.flowName, step, data: describeAwait(opened) })
}
