/** What the monitor's domains read and act through: the engine's context and the public APIs over it. */
import type { NventContext } from '../engine/nvent-context'
import { NventError } from '../errors'
import type { AwaitApi } from '../types/await'
import type { FlowApi } from '../types/flow'
import type { QueueApi } from '../types/queue'
import type { TriggerApi } from '../types/trigger'

export interface MonitorDeps {
  context: NventContext
  flow: FlowApi
  queue: QueueApi
  triggers: TriggerApi
  awaits: AwaitApi
  /** Dev server: reads may show source files. @default false */
  dev?: boolean
}

/**
 * `value` when it is a non-empty string, else a 400 naming the argument: the transports hand the monitor
 * whatever a client sent.
 */
export function stringArg(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new NventError(`nvent: monitor: ${name} must be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`, 400)
  return value
}

/** An optional page size from 1 to `max`, else a 400. */
export function limitArg(value: unknown, fallback: number, max = 1000): number {
  if (value === undefined)
    return fallback
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max)
    throw new NventError(`nvent: monitor: limit must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`, 400)
  return value as number
}
