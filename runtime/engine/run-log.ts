/** Log lines of handlers and hooks: printed on the server console and kept in the run's log. */
import { consola } from 'consola'
import type { LogLevel } from '../types/context'
import type { RunEventInput } from '../types/run'
import type { Engine } from './engine'
import { publishEvents } from './engine'

const logger = consola.withTag('nvent')

/** Prints a log line on the server console, tagged with where it came from (`flow/step` or the job). */
export function printLog(where: string, level: LogLevel, message: string, meta?: Record<string, unknown>): void {
  logger[level === 'debug' ? 'debug' : level](`[${where}] ${message}`, meta ?? '')
}

/** Appends events that change no state (logs, state notes) to the run's log, then publishes them live. */
export async function recordEvents(engine: Engine, runId: string, events: RunEventInput[]): Promise<void> {
  await publishEvents(engine, await engine.adapters.store.appendEvents(runId, events))
}
