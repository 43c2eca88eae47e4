/** What every measurement shares: a clock, percentiles, a bounded-concurrency loop, counters and tables. */
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { Redis } from 'ioredis'

/** Milliseconds, sub-millisecond resolution. */
export const now = () => performance.now()

/** The value below which `p` percent of `sorted` (ascending) lies, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0)
    return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/** Calls `task(i)` for i in [0, total), with at most `concurrency` calls in flight. */
export async function inParallel(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < total) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane))
}

/** A promise that resolves on the `target`-th `tick()`; fails after `timeout` ms naming `what`. */
export function countdown(target: number, what: string, timeout = 120_000) {
  let count = 0
  let resolve!: () => void
  let reject!: (error: Error) => void
  const done = new Promise<void>((res, rej) => { resolve = res; reject = rej })
  const timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms: ${count}/${target} ${what}`)), timeout)
  done.finally(() => clearTimeout(timer)).catch(() => {})
  return {
    done,
    tick() {
      if (++count === target)
        resolve()
    },
    /** Ends the wait at once with `error` (something the count waits for went wrong). */
    fail: (error: Error) => reject(error),
  }
}

/**
 * Counts the commands ioredis sends and the queries pg sends, from every client in the process (BullMQ
 * and pg-boss use the same ioredis and pg): a measurement reads the difference over its timed part.
 */
export const wire = { redis: 0, pg: 0 }
{
  const send = Redis.prototype.sendCommand
  Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<typeof send>) {
    wire.redis++
    return send.apply(this, args)
  } as typeof send
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    wire.pg++
    return query.apply(this, args)
  } as typeof pg.Client.prototype.query
}

export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value))
    return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** `met` / `missed (...)`, or an empty cell when there is no figure to judge. */
export function verdict(value: number | undefined, target: number, higherIsBetter: boolean, unit = '', digits = unit === 'x' ? 2 : 0): string {
  if (value === undefined || Number.isNaN(value))
    return ''
  if (higherIsBetter ? value >= target : value <= target)
    return 'met'
  const off = higherIsBetter ? (1 - value / target) * 100 : (value / target - 1) * 100
  return `missed (${fmt(value, digits)}${unit} vs ${fmt(target, digits)}${unit}, ${fmt(off, 0)}% ${higherIsBetter ? 'short' : 'over'})`
}

export interface Table {
  title: string
  headers: string[]
  rows: string[][]
  notes?: string[]
}

/** A Markdown table with padded columns: readable in a terminal and in RESULTS.md alike. */
export function renderTable(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.rows.map(r => (r[i] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ')} |`
  return [
    `### ${table.title}`,
    '',
    line(table.headers),
    `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`,
    ...table.rows.map(line),
    ...(table.notes?.length ? ['', ...table.notes.map(n => `- ${n}`)] : []),
    '',
  ].join('\n')
}
