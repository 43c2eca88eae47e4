/** A run's log as the monitor reads it: events from a cursor, logs by level, state now, latest progress. */
import { readRunState, scanEvents } from '../engine/run-scan'
import { NventError } from '../errors'
import type { LogLevel } from '../types/context'
import type { LogQuery, StepDetail } from '../types/monitor'
import type { RunEvent } from '../types/run'
import type { MonitorDeps } from './deps'
import { limitArg, stringArg } from './deps'

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

export function events({ flow }: MonitorDeps, runId: string, options: { after?: string, limit?: number } = {}): Promise<RunEvent[]> {
  return flow.events(stringArg('runId', runId), { after: options.after, limit: limitArg(options.limit, 500) })
}

export async function logs(deps: MonitorDeps, runId: string, query: LogQuery = {}): Promise<RunEvent[]> {
  const { level = 'debug', after } = query
  if (!LEVELS.includes(level))
    throw new NventError(`nvent: monitor: a log level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`, 400)
  const limit = limitArg(query.limit, 200)
  const lowest = LEVELS.indexOf(level)
  const found: RunEvent[] = []
  await scanEvents(deps.context.adapters.store, stringArg('runId', runId), (event) => {
    if (event.type === 'log' && LEVELS.indexOf((event.data as { level: LogLevel }).level) >= lowest)
      found.push(event)
    return found.length < limit
  }, after)
  return found
}

/** The run's state as it is now. */
export function state(deps: MonitorDeps, runId: string): Promise<Record<string, unknown>> {
  return readRunState(deps.context.adapters.store, stringArg('runId', runId))
}

/** The last `step.progress` of each of `steps` in their current attempt. */
export async function latestProgress(deps: MonitorDeps, runId: string, steps: string[]): Promise<Map<string, StepDetail['progress']>> {
  const progress = new Map<string, StepDetail['progress']>()
  await scanEvents(deps.context.adapters.store, runId, (event) => {
    if (!event.step || !steps.includes(event.step))
      return
    if (event.type === 'step.started')
      progress.delete(event.step)
    else if (event.type === 'step.progress')
      progress.set(event.step, event.data as StepDetail['progress'])
  })
  return progress
}
