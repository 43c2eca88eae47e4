/** Checks a function's extracted config against `FunctionConfig` (runtime/types/function.ts). */
import type { FunctionConfig } from '../runtime/types/function'
import { TRIGGER_TYPES } from '../runtime/types/trigger'
import type { BuildIssue } from './errors'
import { arrayOf, checkShape, count, milliseconds, nonNegative, object, string } from './shape'
import { checkFlowExtras } from './validate-flow-extras'

/** Event and trigger names. */
const nameList = arrayOf(string())

/** `FlowTriggersConfig` (runtime/types/trigger.ts). */
const triggersShape = object({
  define: object({
    name: string(),
    type: string(TRIGGER_TYPES),
    scope: string(['global', 'flow']),
    displayName: string(),
    description: string(),
  }, ['name', 'type']),
  subscribe: nameList,
  mode: string(['auto', 'manual']),
  config: object({ cron: string(), timezone: string(), secretEnv: string() }),
})

/** `AwaitConfig` (runtime/types/await.ts); which fields go with which type is checked in validate-flow-extras.ts. */
const awaitShape = object({
  type: string(['time', 'webhook', 'event']),
  delay: milliseconds,
  until: string(),
  method: string(['POST', 'GET', 'PUT']),
  event: string(),
  match: string(),
  timeout: milliseconds,
  timeoutAction: string(['fail', 'continue']),
}, ['type'])

/** `FunctionConfig`, as a shape: keep in step with the interface when options are added. */
export const functionConfigShape = object({
  queue: object({
    name: string(),
    limiter: object({ max: count, duration: milliseconds }, ['max', 'duration']),
  }),
  worker: object({ concurrency: count }),
  retry: object({
    attempts: count,
    backoff: object({ type: string(['fixed', 'exponential']), delay: nonNegative }, ['type', 'delay']),
  }),
  flow: object({
    name: string(),
    role: string(['entry', 'step']),
    step: string(),
    emits: nameList,
    subscribes: nameList,
    stepTimeout: milliseconds,
    triggers: triggersShape,
    awaitBefore: awaitShape,
    awaitAfter: awaitShape,
  }, ['name', 'role']),
})

/**
 * Validates `config` (a static value read from `displayFile`). Returns the config typed when it is valid,
 * and every problem found otherwise.
 */
export function validateFunctionConfig(config: unknown, displayFile: string): { config?: FunctionConfig, issues: BuildIssue[] } {
  const issues: BuildIssue[] = []
  const report = (field: string, message: string) => issues.push({ files: [displayFile], field, message })
  checkShape(config, functionConfigShape, 'config', report)
  // The rules between fields read the config as typed, so they run only on one of the right shape.
  if (issues.length === 0) checkFlowExtras(config as FunctionConfig, report)
  if (issues.length === 0) return { config: config as FunctionConfig, issues }
  // The build fails either way. Keeping the function's place in its flow means the flow's own checks do not
  // add what follows from dropping it (no entry, an event no step emits) to the one real mistake.
  return { config: flowPlace(config), issues }
}

/** The fields that place a function in its flow's graph: what the flow checks read. */
const placeShape = object({
  flow: object({ name: string(), role: string(['entry', 'step']), step: string(), emits: nameList, subscribes: nameList }, ['name', 'role']),
})

/** Only the function's place in its flow, when those fields are right; else nothing. */
function flowPlace(config: unknown): FunctionConfig | undefined {
  const flow = (config as { flow?: Record<string, unknown> } | null)?.flow
  if (!flow || typeof flow !== 'object')
    return undefined
  const fields = Object.entries({ name: flow.name, role: flow.role, step: flow.step, emits: flow.emits, subscribes: flow.subscribes })
  const place = { flow: Object.fromEntries(fields.filter(([, value]) => value !== undefined)) }
  let fits = true
  checkShape(place, placeShape, 'config', () => { fits = false })
  return fits ? place as unknown as FunctionConfig : undefined
}
