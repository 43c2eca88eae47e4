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
  return issues.length > 0 ? { issues } : { config: config as FunctionConfig, issues }
}
