/**
 * Event appends per second per store: `store.appendEvents` of one small log event into existing runs,
 * from a fixed number of concurrent appenders (each into its own run), for a fixed time after a warm-up.
 */
import { randomUUID } from 'node:crypto'
import type { StoreAdapter } from '../src/runtime/contracts/store'
import { createRun } from '../src/runtime/engine/transitions'
import type { RegistryFlow } from '../src/runtime/types/registry'
import type { BackendName, BenchBackend } from './backends'
import { cleanupBackends, closeAdapters } from './backends'
import type { Table } from './util'
import { fmt, now, percentile, wire } from './util'

const APPENDERS = 20
const WARMUP_MS = 300
const TIMED_MS = 2_000

const flow: RegistryFlow = { name: 'appends', entry: 'a', steps: {} }

interface AppendSample {
  appends: number
  ms: number
  latencies: number[]
  wire: number
}

/** Every appender appends to its run, one call after the other, until `until` (a `now()` time). */
async function appendUntil(store: StoreAdapter, runIds: string[], until: number, latencies?: number[]): Promise<number> {
  let appends = 0
  await Promise.all(runIds.map(async (runId) => {
    while (now() < until) {
      const t0 = now()
      await store.appendEvents(runId, [{ type: 'log', runId, flowName: flow.name, step: 'a', attempt: 1, data: { level: 'info', message: 'bench' } }])
      latencies?.push(now() - t0)
      appends++
    }
  }))
  return appends
}

async function measureStore(backend: BenchBackend): Promise<AppendSample> {
  const adapters = await backend.create()
  try {
    const { store } = adapters
    const runIds: string[] = []
    for (let i = 0; i < APPENDERS; i++) {
      const { run, events } = createRun(flow, randomUUID(), null, Date.now())
      await store.createRun(run, events)
      runIds.push(run.id)
    }
    await appendUntil(store, runIds, now() + WARMUP_MS)
    const counter = backend.name === 'postgres' ? 'pg' : 'redis'
    const wire0 = wire[counter]
    const latencies: number[] = []
    const t0 = now()
    const appends = await appendUntil(store, runIds, t0 + TIMED_MS, latencies)
    return { appends, ms: now() - t0, latencies, wire: wire[counter] - wire0 }
  }
  finally {
    await closeAdapters(adapters)
  }
}

export async function measureAppends(backends: Record<BackendName, BenchBackend>): Promise<Table> {
  const rows: string[][] = []
  for (const name of ['memory', 'file', 'redis', 'postgres'] as const) {
    const backend = backends[name]
    if (backend.missing) {
      rows.push([name, `n/a (${backend.missing})`, '', '', '', ''])
      continue
    }
    const s = await measureStore(backend)
    await cleanupBackends()
    const sorted = s.latencies.sort((a, b) => a - b)
    const remote = name === 'redis' || name === 'postgres'
    rows.push([
      name,
      fmt(s.appends),
      fmt(s.appends / (s.ms / 1000)),
      fmt(percentile(sorted, 50), 2),
      fmt(percentile(sorted, 99), 2),
      remote ? `${fmt(s.wire / s.appends, 1)} ${name === 'postgres' ? 'queries' : 'cmds'}` : '',
    ])
  }
  return {
    title: `4. Event appends/s per store (${APPENDERS} concurrent appenders, one log event per call, ${fmt(TIMED_MS / 1000, 0)} s after a ${WARMUP_MS} ms warm-up)`,
    headers: ['store', 'appends', 'appends/s', 'call p50 ms', 'call p99 ms', 'wire/append'],
    rows,
    notes: ['file: every append is journaled and fsynced before the call returns (group commit). No targets are set for appends.'],
  }
}
