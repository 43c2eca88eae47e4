/**
 * Memory stays bounded: many one-step runs through the whole engine (start, worker, step, completion,
 * retention), then the process's memory and the backend's size, against a stated bound. Runs start in
 * waves of a thousand; the retention pass runs every second instead of every minute so it keeps up
 * within the measurement (what it keeps is the default: 1,000 completed runs per flow, and the queue's
 * 1,000 completed jobs).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startApp } from '../test/helpers/engine-app'
import type { BackendName, BenchBackend } from './backends'
import { cleanupBackends } from './backends'
import { sizeOf, vacuumWhenAutovacuumIsOff } from './store-size'
import type { Table } from './util'
import { runBatches } from './run-batches'
import { fmt, now, verdict } from './util'

const RUNS: Partial<Record<BackendName, number>> = { memory: 100_000, file: 100_000, redis: 100_000, postgres: 20_000 }
/** `NVENT_BENCH_BOUNDED_SCALE=0.1` runs a tenth of each, for a quick look. */
const SCALE = Number(process.env.NVENT_BENCH_BOUNDED_SCALE ?? 1)
/** Where the server has autovacuum off, the PostgreSQL tables are vacuumed this often, as autovacuum would. */
const VACUUM_EVERY = 5_000
const WAVE = 1_000
const MB = 1024 * 1024
/**
 * The bounds: what the process still holds after a full collection (its live heap), after half the runs
 * and at the end, and what the backend keeps. RSS is shown, not judged: it also holds heap pages V8 keeps
 * after a collection, which move with the allocation rate more than with what is held.
 */
const BOUND_HEAP_MB = 64
const BOUND_BACKEND_MB = 64

const app = {
  flows: {
    bounded: [{
      step: 'work',
      entry: true,
      async run(input: unknown, ctx: any) {
        ctx.logger.log('info', `order ${(input as { n: number }).n}`)
        await ctx.state.set('seen', true)
        return { ok: true }
      },
    }],
  },
}

/** A full collection, so the figures are what is still held, not garbage not yet collected. */
let gc: (() => void) | undefined
function collect() {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}

/** Reclaims deleted rows where the server has autovacuum off, as autovacuum would (see store-size.ts). */
async function vacuumOnce(namespace: string) {
  const vacuum = await vacuumWhenAutovacuumIsOff(namespace, ['store', 'queue'])
  await vacuum?.run()
  await vacuum?.close()
}

async function measure(backend: BenchBackend, runs: number): Promise<string[]> {
  const adapters = await backend.create()
  const { nvent, close } = await startApp(backend, app, {
    adapters,
    logging: { console: 'off' },
    store: { retention: { interval: 1_000 } },
    queue: { worker: { concurrency: 4 } },
  })
  try {
    collect()
    const rssBefore = process.memoryUsage().rss
    let rssHalf = 0
    let heapHalf = 0
    const started = now()
    const batches = await runBatches(nvent)
    for (let done = 0; done < runs; done += WAVE) {
      await batches.startAll('bounded', WAVE, i => ({ n: done + i }))
      if (backend.name === 'postgres' && (done + WAVE) % VACUUM_EVERY === 0)
        await vacuumOnce(adapters.namespace!)
      if (done + WAVE === runs / 2) {
        collect()
        ;({ rss: rssHalf, heapUsed: heapHalf } = process.memoryUsage())
      }
    }
    const seconds = (now() - started) / 1000
    await batches.close()
    // One more retention pass after the last wave.
    await new Promise(resolve => setTimeout(resolve, 2_500))
    collect()
    const { rss, heapUsed } = process.memoryUsage()
    const kept = (await adapters.store.listRuns({ flow: 'bounded', limit: 1 })).total
    if (backend.name === 'postgres')
      await vacuumOnce(adapters.namespace!)
    const bytes = await sizeOf(backend.name, adapters.namespace, true)
    const checks = [
      verdict(Math.max(heapHalf, heapUsed) / MB, BOUND_HEAP_MB, false, ' MB'),
      bytes === undefined ? 'met' : verdict(bytes / MB, BOUND_BACKEND_MB, false, ' MB'),
    ]
    return [
      backend.name,
      fmt(runs),
      fmt(runs / seconds),
      fmt(kept),
      `${fmt(heapHalf / MB)} / ${fmt(heapUsed / MB)} MB`,
      `${fmt(rssBefore / MB)} / ${fmt(rssHalf / MB)} / ${fmt(rss / MB)} MB`,
      bytes === undefined ? 'in the process' : `${fmt(bytes / MB, 1)} MB`,
      `heap <= ${BOUND_HEAP_MB} MB, backend <= ${BOUND_BACKEND_MB} MB`,
      checks.every(check => check === 'met') ? 'met' : checks.filter(check => check !== 'met').join('; '),
    ]
  }
  finally {
    await close()
    await cleanupBackends()
  }
}

export async function measureBounded(backends: Record<BackendName, BenchBackend>): Promise<Table> {
  const rows: string[][] = []
  for (const backend of Object.values(backends)) {
    const runs = Math.max(WAVE, Math.round(RUNS[backend.name]! * SCALE / WAVE) * WAVE)
    rows.push(backend.missing ? [backend.name, `n/a (${backend.missing})`, '', '', '', '', '', '', ''] : await measure(backend, runs))
  }
  return {
    title: 'Bounded memory: one-step runs through the engine with default retention',
    headers: ['backend', 'runs', 'runs/s', 'runs kept', 'live heap: half / end', 'server RSS: start / half / end', 'backend size at end', 'bound', 'verdict'],
    rows,
    notes: [
      `Each run: a step that logs a line (kept in the run log, not printed), sets a state key and returns; ${fmt(WAVE)} started at once, then the next ${fmt(WAVE)}. Retention runs every second (default: every minute), keeping the default 1,000 completed runs per flow and 1,000 completed jobs per queue.`,
      'Live heap and RSS after a full garbage collection: at the start, after half the runs, and 2.5 s after the last (a retention pass). The live heap is what the process holds; RSS also holds heap pages V8 keeps after a collection, so it is shown, not judged. Backend size: file = every file of the data dir; Redis = MEMORY USAGE of every key of the prefix (queue, store, stream); PostgreSQL = tables with indexes and TOAST of the queue and store schemas. PostgreSQL runs a fifth as many (it writes about a tenth as fast here), enough for retention to have pruned all but the kept 1,000.',
    ],
  }
}
