/**
 * Step-to-step latency of a 3-step flow (a emits → b emits → c), read from each run's event log: from
 * a step's `step.completed` to the next step's `step.started`. Runs start a few at a time.
 */
import type { RunEvent } from '../src/runtime/types/run'
import type { TestApp } from '../test/helpers/engine-app'
import { startApp } from '../test/helpers/engine-app'
import type { BackendName, BenchBackend } from './backends'
import { cleanupBackends } from './backends'
import type { Table } from './util'
import { fmt, inParallel, percentile, verdict, wire } from './util'

/** The judged load: runs started a few at a time. */
const LOADED = { runs: 200, atOnce: 10 }
/** For reference: one run at a time, so the hops see no other work in the process. */
const SERIAL = { runs: 50, atOnce: 1 }
const WARMUP_RUNS = 20
const CONCURRENCY = 10

const TARGET_P50: Partial<Record<BackendName, number>> = { redis: 3, postgres: 25 }
/** Judged on the one-at-a-time rows: the tail of a hop with nothing else running. */
const TARGET_SERIAL_P99: Partial<Record<BackendName, number>> = { redis: 10 }

const app: TestApp = {
  flows: {
    hop: [
      { step: 'a', entry: true, emits: ['a.done'], run: async (_input, ctx) => ctx.flow.emit('a.done', {}) },
      { step: 'b', subscribes: ['a.done'], emits: ['b.done'], run: async (_input, ctx) => ctx.flow.emit('b.done', {}) },
      { step: 'c', subscribes: ['b.done'], run: async () => {} },
    ],
  },
}

interface HopSample {
  ab: number[]
  bc: number[]
  /** `flow.start` to `flow.completed`, per run. */
  runMs: number[]
  /** Commands or queries sent per run. */
  wirePerRun: number
}

function ts(events: RunEvent[], type: string, step?: string): number {
  const found = events.find(e => e.type === type && (step === undefined || e.step === step))
  if (!found)
    throw new Error(`run ${events[0]?.runId}: no ${type}${step ? ` of ${step}` : ''} in its log`)
  return found.ts
}

async function measureBackend(backend: BenchBackend, load: { runs: number, atOnce: number }): Promise<HopSample> {
  const running = await startApp(backend, app, { adapters: await backend.create(), queue: { worker: { concurrency: CONCURRENCY } } })
  const { nvent } = running
  // Run ends arrive on the stream; a run may end before its waiter is registered.
  const waiters = new Map<string, () => void>()
  const ended = new Set<string>()
  const unsubscribe = await nvent.onEvent((event) => {
    if (!event.type.startsWith('flow.') || event.type === 'flow.start')
      return
    if (event.type !== 'flow.completed')
      console.error(`[bench] run ${event.runId} ended with ${event.type}`)
    ended.add(event.runId)
    waiters.get(event.runId)?.()
  })
  const runOne = async (ids: string[]) => {
    const { runId } = await nvent.flow.start('hop', {})
    ids.push(runId)
    if (!ended.has(runId))
      await new Promise<void>(resolve => waiters.set(runId, resolve))
  }
  try {
    await inParallel(WARMUP_RUNS, load.atOnce, () => runOne([]))
    const counter = backend.name === 'postgres' ? 'pg' : 'redis'
    const wire0 = wire[counter]
    const ids: string[] = []
    await inParallel(load.runs, load.atOnce, () => runOne(ids))
    const wirePerRun = (wire[counter] - wire0) / load.runs
    const sample: HopSample = { ab: [], bc: [], runMs: [], wirePerRun }
    for (const id of ids) {
      const events = await nvent.flow.events(id)
      sample.ab.push(ts(events, 'step.started', 'b') - ts(events, 'step.completed', 'a'))
      sample.bc.push(ts(events, 'step.started', 'c') - ts(events, 'step.completed', 'b'))
      sample.runMs.push(ts(events, 'flow.completed') - ts(events, 'flow.start'))
    }
    return sample
  }
  finally {
    await unsubscribe()
    await running.close()
  }
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b)

function row(name: BackendName, load: { runs: number, atOnce: number }, s: HopSample, judged: boolean): string[] {
  const target = TARGET_P50[name]
  const ab = sorted(s.ab)
  const bc = sorted(s.bc)
  const all = sorted([...s.ab, ...s.bc])
  const runMs = sorted(s.runMs)
  const p50 = percentile(all, 50)
  const p99 = percentile(all, 99)
  const serialTarget = TARGET_SERIAL_P99[name]
  const [targetCell, verdictCell] = judged
    ? target === undefined ? ['', ''] : [`p50 <= ${target} ms`, verdict(p50, target, false, ' ms')]
    : serialTarget === undefined ? [target === undefined ? '' : 'reference only', ''] : [`p99 <= ${serialTarget} ms`, verdict(p99, serialTarget, false, ' ms')]
  return [
    name,
    `${fmt(load.runs)}, ${fmt(load.atOnce)} at a time`,
    `${fmt(percentile(ab, 50))} / ${fmt(percentile(ab, 99))}`,
    `${fmt(percentile(bc, 50))} / ${fmt(percentile(bc, 99))}`,
    fmt(p50),
    fmt(p99),
    `${fmt(percentile(runMs, 50))} / ${fmt(percentile(runMs, 99))}`,
    name === 'memory' ? '' : `${fmt(s.wirePerRun, 1)} ${name === 'postgres' ? 'queries' : 'cmds'}`,
    targetCell,
    verdictCell,
  ]
}

export async function measureHopLatency(backends: Record<BackendName, BenchBackend>): Promise<Table> {
  const rows: string[][] = []
  for (const name of ['memory', 'redis', 'postgres'] as const) {
    const backend = backends[name]
    if (backend.missing) {
      const target = TARGET_P50[name]
      rows.push([name, `n/a (${backend.missing})`, '', '', '', '', '', '', target === undefined ? '' : `p50 <= ${target} ms`, ''])
      continue
    }
    rows.push(row(name, LOADED, await measureBackend(backend, LOADED), true))
    rows.push(row(name, SERIAL, await measureBackend(backend, SERIAL), false))
    await cleanupBackends()
  }
  return {
    title: `2. Step hop latency, 3-step flow a → b → c (worker concurrency ${CONCURRENCY})`,
    headers: ['backend', 'runs', 'a→b p50 / p99 ms', 'b→c p50 / p99 ms', 'hop p50 ms', 'hop p99 ms', 'run p50 / p99 ms', 'wire/run', 'target', 'verdict'],
    rows,
    notes: [
      'A hop is `step.completed` of one step to `step.started` of the next, both `ts` from the run\'s event log (whole milliseconds, stamped by the store). hop p50/p99 pool both hops.',
      `p50 targets are judged at ${LOADED.atOnce} runs at a time; the ${SERIAL.atOnce}-at-a-time rows show the same path with nothing else running in the process, and judge Redis's tail (p99).`,
      'run = `flow.start` to `flow.completed`. wire/run: Redis commands or PostgreSQL queries sent per run (all three steps, events, live publish).',
    ],
  }
}
