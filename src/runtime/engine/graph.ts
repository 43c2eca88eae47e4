/** Reading a flow's graph against a run: which steps may run next, and what each receives. */
import type { RegistryFlow } from '../types/registry'
import type { RunRecord, StepStatus } from '../types/run'

const UNFINISHED: readonly StepStatus[] = ['queued', 'running', 'retrying', 'awaiting']

export function isUnfinished(status: StepStatus): boolean {
  return UNFINISHED.includes(status)
}

/**
 * Unfinished steps of `run` that this build's graph of its flow lacks (all of them when the flow is gone):
 * a deploy renamed or removed them while the run was in flight, so nothing here can run them.
 */
export function stepsNotInBuild(flow: RegistryFlow | undefined, run: RunRecord, steps = Object.keys(run.steps)): string[] {
  return steps.filter(step => !flow?.steps[step] && isUnfinished(run.steps[step]?.status ?? 'queued'))
}

/** Why a run fails when this build lacks some of its steps. */
export function notInBuildReason(flowName: string, steps: string[]): string {
  const names = steps.map(step => `"${step}"`).join(', ')
  return `step${steps.length > 1 ? 's' : ''} ${names} of flow "${flowName}" ${steps.length > 1 ? 'are' : 'is'} not in this build (renamed or removed by a deploy while the run was in flight)`
}

/** Steps not yet activated whose `subscribes` have all been emitted in the run (fan-in on all). */
export function activatableSteps(flow: RegistryFlow, run: RunRecord): string[] {
  return Object.values(flow.steps)
    .filter(step => step.name !== flow.entry && !run.steps[step.name])
    .filter(step => step.subscribes.length > 0 && step.subscribes.every(event => event in run.emitted))
    .map(step => step.name)
}

/** The entry receives the flow input; any other step an object of its subscribed events' payloads. */
export function stepInput(flow: RegistryFlow, step: string, run: RunRecord): unknown {
  if (step === flow.entry)
    return run.input
  const input: Record<string, unknown> = {}
  for (const event of flow.steps[step]?.subscribes ?? [])
    input[event] = run.emitted[event]
  return input
}

/** Deterministic job id of a step activation: a duplicate enqueue of the same activation adds nothing. */
export function stepJobId(runId: string, step: string): string {
  return `${runId}.${encodeURIComponent(step)}`
}
