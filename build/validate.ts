/** Checks a function's extracted config against `FunctionConfig` (runtime/types/function.ts). */
import type { FunctionConfig } from '../runtime/types/function'
import type { BuildIssue } from './errors'
import { arrayOf, checkShape, count, milliseconds, nonNegative, object, string } from './shape'

const eventList = arrayOf(string())

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
    emits: eventList,
    subscribes: eventList,
    stepTimeout: milliseconds,
  }, ['name', 'role']),
})

/**
 * Validates `config` (a static value read from `displayFile`). Returns the config typed when it is valid,
 * and every problem found otherwise.
 */
export function validateFunctionConfig(config: unknown, displayFile: string): { config?: FunctionConfig, issues: BuildIssue[] } {
  const issues: BuildIssue[] = []
  checkShape(config, functionConfigShape, 'config', (field, message) => issues.push({ files: [displayFile], field, message }))
  return issues.length > 0 ? { issues } : { config: config as FunctionConfig, issues }
}
