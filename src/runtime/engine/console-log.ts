/**
 * Printing handler and hook log lines on the server console, in the format `logging.console` names.
 * consola's fancy reporter measures and pads every line (string widths, dates, colours): fine in a
 * terminal, but on a busy production server it cost more CPU than the steps whose lines it printed.
 * 'plain' and 'json' format each line cheaply, and write the lines of one turn of the event loop to
 * the process's stream together.
 */
import { inspect } from 'node:util'
import { consola } from 'consola'
import type { LogLevel } from '../types/context'
import type { ConsoleFormat } from '../types/options'

/** A line to print: where it came from (`flow/step` or a job name), and its run if it has one. */
export interface ConsoleLine {
  where: string
  runId?: string
  level: LogLevel
  message: string
  meta?: Record<string, unknown>
}

export type ConsolePrinter = (line: ConsoleLine) => void

const logger = consola.withTag('nvent')
/** consola's level at which debug lines show (`CONSOLA_LEVEL=4`). */
const DEBUG_LEVEL = 4

/** The printer for `format`. */
export function consolePrinter(format: ConsoleFormat): ConsolePrinter {
  switch (format) {
    case 'off':
      return () => {}
    case 'pretty':
      return ({ where, level, message, meta }) => logger[level](`[${where}] ${message}`, meta ?? '')
    case 'plain':
      return line => write(line.level, plainLine(line))
    case 'json':
      return line => write(line.level, jsonLine(line))
  }
}

/** Lines printed in this turn of the event loop, by stream: written together, one write each. */
const queued = new Map<NodeJS.WriteStream, string[]>()

function write(level: LogLevel, text: string): void {
  if (level === 'debug' && consola.level < DEBUG_LEVEL)
    return
  const stream = level === 'warn' || level === 'error' ? process.stderr : process.stdout
  const lines = queued.get(stream)
  if (lines)
    return void lines.push(text)
  queued.set(stream, [text])
  if (queued.size === 1) {
    setImmediate(writeQueued)
    // A process that exits in this turn still prints them.
    process.once('exit', writeQueued)
  }
}

function writeQueued(): void {
  process.off('exit', writeQueued)
  for (const [stream, lines] of queued)
    stream.write(`${lines.join('\n')}\n`)
  queued.clear()
}

/** `2026-12-02T10:00:00.000Z INFO [nvent] [flow/step] message {"meta":1}` */
export function plainLine({ where, level, message, meta }: ConsoleLine): string {
  const tail = meta === undefined ? '' : ` ${json(meta) ?? shown(meta)}`
  return `${new Date().toISOString()} ${level.toUpperCase()} [nvent] [${where}] ${message}${tail}`
}

export function jsonLine({ where, runId, level, message, meta }: ConsoleLine): string {
  const line = { time: new Date().toISOString(), level, tag: 'nvent', where, ...(runId ? { runId } : {}), message, ...(meta === undefined ? {} : { meta }) }
  return json(line) ?? JSON.stringify({ ...line, meta: shown(meta) })
}

/** `value` as JSON, or undefined when JSON cannot hold it (a cycle, a BigInt). */
function json(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  }
  catch {
    return undefined
  }
}

/** A meta JSON cannot hold, as Node shows it: the line is printed either way. */
function shown(meta: unknown): string {
  return inspect(meta, { depth: 4, breakLength: Infinity })
}
