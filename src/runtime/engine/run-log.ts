/**
 * Log lines of handlers and hooks: printed on the server console and kept in the run's log. Both get the
 * line with await tokens redacted, as a hook or handler may well log the URL it was handed.
 */
import type { LogLevel } from '../types/context'
import type { RunEventInput } from '../types/run'
import type { NventContext } from './nvent-context'
import { publishEvents } from './nvent-context'
import { type ConsolePrinter, consolePrinter } from './console-log'

/** What replaces the token of an await URL in logs and run events. */
export const REDACTED = '[redacted]'

/** A log line as a handler or hook writes it. */
export interface LogLine {
  level: LogLevel
  message: string
  meta?: Record<string, unknown>
}

/** Where a run's log line belongs: the `log` event's fields other than its type and data. */
export type LogOrigin = Omit<RunEventInput, 'type' | 'data'>

const printers = new WeakMap<NventContext, ConsolePrinter>()

/**
 * Prints a handler's or hook's line on the server console (as `logging.console` says), tagged with where
 * it came from (`flow/step` or the job), and returns the `log` event that records it in its run's log
 * when it belongs to a run. Await tokens in the message and anywhere in the meta are redacted first.
 */
export function logLine(context: NventContext, where: string, line: LogLine, run?: LogOrigin): RunEventInput | undefined {
  const { level, message, meta } = redact(context, line)
  let print = printers.get(context)
  if (!print)
    printers.set(context, print = consolePrinter(context.options.logging.console))
  print({ where, runId: run?.runId, level, message, meta })
  return run && { ...run, type: 'log', data: { level, message, meta } }
}

/** `logLine`, then the event appended to its run's log. Resolves once it is recorded. */
export async function writeLog(context: NventContext, where: string, line: LogLine, run?: LogOrigin): Promise<void> {
  const event = logLine(context, where, line, run)
  if (event)
    await recordEvents(context, event.runId, [event])
}

/** Appends events that change no state (logs, state notes) to the run's log, then publishes them live. */
export async function recordEvents(context: NventContext, runId: string, events: RunEventInput[]): Promise<void> {
  publishEvents(context, await context.adapters.store.appendEvents(runId, events))
}

const patterns = new WeakMap<NventContext, RegExp>()

/**
 * `<webhooks.path>/await/<token>` with the path captured, built once per engine. A slash may also be
 * `%2F`, so a URL logged inside an encoded link (a mailto body, a chat deep link) is caught as well.
 */
function awaitUrlPattern(context: NventContext): RegExp {
  let pattern = patterns.get(context)
  if (!pattern) {
    const path = `${context.options.webhooks.path}/await/`
      .split('/')
      .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('(?:/|%2[Ff])')
    pattern = new RegExp(`(${path})[\\w-]+`, 'g')
    patterns.set(context, pattern)
  }
  return pattern
}

/** `value` with the token of every await URL in it replaced by `[redacted]`; what it holds is copied, never changed. */
export function redact<T>(context: NventContext, value: T): T {
  return redactValue(value, awaitUrlPattern(context), new Map()) as T
}

/**
 * Strings are rewritten; arrays, plain objects and errors (message, stack and cause are own properties)
 * are copied with their prototype, `copies` keeping shared and circular references as they were. A URL
 * object is one too. Other class instances pass unchanged: the server backends refuse them in a run event.
 */
function redactValue(value: unknown, pattern: RegExp, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string')
    return value.replace(pattern, `$1${REDACTED}`)
  if (typeof value !== 'object' || value === null)
    return value
  if (copies.has(value))
    return copies.get(value)
  if (value instanceof URL)
    return new URL(value.href.replace(pattern, `$1${REDACTED}`))
  if (Array.isArray(value)) {
    const copy: unknown[] = []
    copies.set(value, copy)
    for (const item of value)
      copy.push(redactValue(item, pattern, copies))
    return copy
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null && !(value instanceof Error))
    return value
  const copy = Object.create(prototype)
  copies.set(value, copy)
  const descriptors = Object.getOwnPropertyDescriptors(value)
  for (const key of Reflect.ownKeys(descriptors)) {
    const descriptor = descriptors[key as keyof typeof descriptors]!
    if ('value' in descriptor)
      descriptor.value = redactValue(descriptor.value, pattern, copies)
    Object.defineProperty(copy, key, descriptor)
  }
  return copy
}
