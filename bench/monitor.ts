/**
 * The monitor's two figures: the first page of runs with 100,000 runs in the store, and live push, from a
 * run event's commit (its `ts`, stamped by the store) to a monitor subscriber receiving it.
 */
import { randomUUID } from 'node:crypto'
import type { RunQuery, StoreAdapter } from '../src/runtime/contracts/store'
import { createRun, event } from '../src/runtime/engine/transitions'
import type { RegistryFlow } from '../src/runtime/types/registry'
import type { RunStatus } from '../src/runtime/types/run'
import type { TestApp } from '../test/helpers/engine-app'
import { startApp } from '../test/helpers/engine-app'
import type { BackendName, BenchBackend } from './backends'
import { cleanupBackends, closeAdapters } from './backends'
import { vacuumWhenAutovacuumIsOff } from './store-size'
import type { Table } from './util'
import { fmt, inParallel, now, percentile, verdict } from './util'

const RUNS = Number(process.env.NVENT_BENCH_MONITOR_RUNS ?? 100_000)
const FLOWS: RegistryFlow[] = ['orders', 'mail', 'billing'].map(name => ({ name, entry: 'work', steps: {} }))
const ENDINGS: RunStatus[] = ['completed', 'completed', 'completed', 'failed', 'running']
const SAMPLES = 20
const PAGE_TARGET_MS = 50
const PUSH_TARGET_P99_MS = 50
const PUSH_RUNS = 200

/** Runs created an hour apart at most, so the time filter has something to cut. */
async function fill(store: StoreAdapter) {
  const start = Date.now() - 3_600_000
  await inParallel(RUNS, 50, async (i) => {
    const { run, events } = createRun(FLOWS[i % FLOWS.length]!, randomUUID(), { i }, start + Math.floor((i / RUNS) * 3_600_000))
    await store.createRun(run, events)
    const status = ENDINGS[i % ENDINGS.length]!
    if (status !== 'running')
      await store.updateRun(run.id, current => ({ run: { ...current, status, finishedAt: Date.now(), updatedAt: Date.now() }, events: [event(current, status === 'failed' ? 'flow.failed' : 'flow.completed')] }))
  })
}

async function median(call: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const started = now()
    await call()
    times.push(now() - started)
  }
  return percentile(times.sort((a, b) => a - b), 50)
}

async function pageTimes(backend: BenchBackend): Promise<string[]> {
  const adapters = await backend.create()
  try {
    await fill(adapters.store)
    const vacuum = backend.name === 'postgres' ? await vacuumWhenAutovacuumIsOff(adapters.namespace!) : undefined
    await vacuum?.run()
    await vacuum?.close()
    const { store } = adapters
    const half = Date.now() - 1_800_000
    const queries: RunQuery[] = [{}, { status: 'failed' }, { flow: 'mail' }, { idPrefix: randomUUID().slice(0, 3) }, { from: half - 600_000, to: half }]
    const times = []
    for (const query of queries) times.push(await median(() => store.listRuns({ ...query, limit: 50 })))
    const stats = await median(() => store.runStats(Date.now() - 3_600_000))
    const judged = Math.max(...times.slice(0, 3))
    return [backend.name, ...times.map(time => fmt(time, 1)), fmt(stats, 1), verdict(judged, PAGE_TARGET_MS, false, ' ms')]
  }
  finally {
    await closeAdapters(adapters)
  }
}

const app: TestApp = { flows: { ping: [{ step: 'work', entry: true, run: async () => {} }] } }

async function pushTimes(backend: BenchBackend): Promise<string[]> {
  const running = await startApp(backend, app, { adapters: await backend.create() })
  const delays: number[] = []
  const stop = await running.nvent.monitor.subscribe((message) => {
    if (message.type === 'run.event')
      delays.push(Date.now() - message.event.ts)
  })
  try {
    await inParallel(PUSH_RUNS, 10, () => running.nvent.flow.start('ping', {}))
    const expected = PUSH_RUNS * 4
    const deadline = Date.now() + 60_000
    while (delays.length < expected && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    const sorted = delays.sort((a, b) => a - b)
    const p99 = percentile(sorted, 99)
    return [backend.name, fmt(sorted.length), fmt(percentile(sorted, 50)), fmt(p99), verdict(p99, PUSH_TARGET_P99_MS, false, ' ms')]
  }
  finally {
    await stop()
    await running.close()
  }
}

export async function measureMonitor(backends: Record<BackendName, BenchBackend>): Promise<Table[]> {
  const pages: string[][] = []
  const pushes: string[][] = []
  try {
    for (const backend of Object.values(backends)) {
      if (backend.missing) {
        pages.push([backend.name, `n/a (${backend.missing})`])
        pushes.push([backend.name, `n/a (${backend.missing})`])
        continue
      }
      pages.push(await pageTimes(backend))
      pushes.push(await pushTimes(backend))
    }
  }
  finally {
    await cleanupBackends()
  }
  return [{
    title: `Monitor: first page of runs with ${fmt(RUNS)} runs in the store (ms, median of ${SAMPLES}; target <= ${PAGE_TARGET_MS} ms)`,
    headers: ['backend', 'all flows', 'by status', 'one flow', 'id prefix (3 chars)', '10-minute range', 'runStats (last hour)', 'verdict (first three)'],
    rows: pages,
    notes: [
      `${fmt(RUNS)} runs over 3 flows, created over the last hour, 3 in 5 completed, 1 failed, 1 running; each query asks for 50 runs with the total of all matches.`,
    ],
  }, {
    title: `Monitor: live push, commit to subscriber (ms; target p99 <= ${PUSH_TARGET_P99_MS} ms)`,
    headers: ['backend', 'events', 'p50', 'p99', 'verdict'],
    rows: pushes,
    notes: [
      `${PUSH_RUNS} one-step runs, 10 started at a time, a monitor subscription in the same process; delay = arrival - the event's \`ts\` (stamped at commit), 4 events per run.`,
    ],
  }]
}
