/** What the graph's nodes share: their look with and without a run shown, and how an await reads. */
import type { AwaitConfig } from '../../../src/runtime/types/await'
import { statusColor } from './status'

/**
 * Fill and border of a node: its status colour in the run shown, faded and dashed when the run has not
 * reached it, plain when no run is shown.
 */
export function nodeFill(status: string | undefined, runShown: boolean): string {
  if (status)
    return statusColor(status).fill
  return runShown
    ? 'bg-white border-gray-300 border-dashed opacity-60 dark:bg-neutral-900 dark:border-neutral-700'
    : 'bg-white border-gray-300 dark:bg-neutral-900 dark:border-neutral-600'
}

/** A configured duration, as written: `500 ms`, `30 s`, `10 min`, `1.5 h`, `2 d`. */
export function configDuration(ms: number): string {
  const units = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]] as const
  const [unit, size] = units.find(([, size]) => ms >= size) ?? ['ms', 1]
  return `${Math.round((ms / size) * 10) / 10} ${unit}`
}

/** `wait 1 h`, `until 2025-01-01T…`, `webhook POST`, `event order.paid`. */
export function awaitLabel(config: AwaitConfig): string {
  if (config.type === 'time')
    return config.until ? `until ${config.until}` : `wait ${configDuration(config.delay ?? 0)}`
  return config.type === 'webhook' ? `webhook ${config.method ?? 'POST'}` : `event ${config.event ?? ''}`
}

/** `timeout 10 min, then fail`, for a webhook or event await that has one. */
export function awaitTimeout(config: AwaitConfig): string | undefined {
  return config.timeout ? `timeout ${configDuration(config.timeout)}, then ${config.timeoutAction ?? 'fail'}` : undefined
}
