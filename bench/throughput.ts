/**
 * No-op jobs per second, enqueue-all-then-drain: nvent plain functions (`nvent.queue.enqueue`, nvent's
 * workers) beside the raw library under each backend, same server, same concurrency, in one process.
 */
import { startApp } from '../test/helpers/engine-app'
import type { BenchBackend, BackendName } from './backends'
import { cleanupBackends } from './backends'
import type { DrainSample } from './raw'
import { bullmqDrain, pgBossFetchDrain, pgBossWorkDrain } from './raw'
import type { Table } from './util'
import { countdown, fmt, inParallel, now, verdict, wire } from './util'

const CONCURRENCY = 10

/** Jobs per timed run and per warm-up run. */
const SIZES = {
  redis: { jobs: 5_000, warmup: 500 },
  postgres: { jobs: 2_000, warmup: 200 },
  memory: { jobs: 50_000, warmup: 5_000 },
  /** pg-boss `work()` is polling-bound (about 20 jobs/s at this concurrency): a small sample shows it. */
  work: { jobs: 100, warmup: 10 },
}

/** nvent with one no-op plain function on a fresh set of `backend`'s adapters. */
async function nventDrain(backend: BenchBackend, jobs: number): Promise<DrainSample> {
  const drained = countdown(jobs, `nvent jobs on ${backend.name}`)
  const adapters = await backend.create()
  const app = await startApp(backend, { functions: { noop: { queue: 'bench', run: async () => { drained.tick() } } } }, {
    adapters,
    workers: false,
    queue: { worker: { concurrency: CONCURRENCY } },
  })
  const counter = backend.name === 'postgres' ? 'pg' : 'redis'
  try {
    const wire0 = wire[counter]
    const t0 = now()
    await inParallel(jobs, CONCURRENCY, () => app.nvent.queue.enqueue('bench', { name: 'noop', data: {} }))
    const t1 = now()
    await app.nvent.start({ workers: true })
    await drained.done
    const t2 = now()
    return { jobs, enqueueMs: t1 - t0, drainMs: t2 - t1, wire: wire[counter] - wire0 }
  }
  finally {
    await app.close()
  }
}

/** A warm-up run (discarded), then the timed one. */
async function measure(sizes: { jobs: number, warmup: number }, drain: (jobs: number) => Promise<DrainSample>): Promise<DrainSample> {
  await drain(sizes.warmup)
  const sample = await drain(sizes.jobs)
  await cleanupBackends()
  return sample
}

const perSecond = (jobs: number, ms: number) => jobs / (ms / 1000)
const endToEnd = (s: DrainSample) => perSecond(s.jobs, s.enqueueMs + s.drainMs)

interface Row {
  backend: BackendName
  side: string
  sample?: DrainSample
  /** Why there is no sample. */
  missing?: string
  ratio?: number
  target?: string
  verdict?: string
}

function cells(row: Row, wireUnit: string): string[] {
  const s = row.sample
  if (!s)
    return [row.backend, row.side, '', `n/a (${row.missing})`, '', '', '', '', row.target ?? '', '']
  return [
    row.backend,
    row.side,
    fmt(s.jobs),
    fmt(perSecond(s.jobs, s.enqueueMs)),
    fmt(perSecond(s.jobs, s.drainMs)),
    fmt(endToEnd(s)),
    s.wire ? `${fmt(s.wire / s.jobs, 1)} ${wireUnit}` : '',
    row.ratio === undefined ? '' : `${fmt(row.ratio, 2)}x`,
    row.target ?? '',
    row.verdict ?? '',
  ]
}

export async function measureThroughput(backends: Record<BackendName, BenchBackend>): Promise<Table> {
  const rows: string[][] = []

  const bull = await measure(SIZES.redis, jobs => bullmqDrain(jobs, CONCURRENCY))
  const nventRedis = await measure(SIZES.redis, jobs => nventDrain(backends.redis, jobs))
  const redisRatio = endToEnd(nventRedis) / endToEnd(bull)
  rows.push(cells({ backend: 'redis', side: 'raw BullMQ Queue.add + Worker', sample: bull }, 'cmds'))
  rows.push(cells({ backend: 'redis', side: 'nvent queue.enqueue + workers', sample: nventRedis, ratio: redisRatio, target: '>= 0.80x raw', verdict: verdict(redisRatio, 0.8, true, 'x') }, 'cmds'))

  const fetchLoop = await measure(SIZES.postgres, jobs => pgBossFetchDrain(jobs, CONCURRENCY))
  const work = await measure(SIZES.work, jobs => pgBossWorkDrain(jobs, CONCURRENCY))
  rows.push(cells({ backend: 'postgres', side: 'raw pg-boss send + fetch/complete', sample: fetchLoop }, 'queries'))
  rows.push(cells({ backend: 'postgres', side: 'raw pg-boss send + work()', sample: work }, 'queries'))
  const pgTarget = '>= 1.00x raw'
  if (backends.postgres.missing) {
    rows.push(cells({ backend: 'postgres', side: 'nvent queue.enqueue + workers', missing: backends.postgres.missing, target: pgTarget }, 'queries'))
  }
  else {
    const nventPg = await measure(SIZES.postgres, jobs => nventDrain(backends.postgres, jobs))
    const pgRatio = endToEnd(nventPg) / endToEnd(fetchLoop)
    rows.push(cells({ backend: 'postgres', side: 'nvent queue.enqueue + workers', sample: nventPg, ratio: pgRatio, target: pgTarget, verdict: verdict(pgRatio, 1, true, 'x') }, 'queries'))
  }

  const memory = await measure(SIZES.memory, jobs => nventDrain(backends.memory, jobs))
  rows.push(cells({ backend: 'memory', side: 'nvent queue.enqueue + workers', sample: { ...memory, wire: 0 }, target: '>= 50,000 jobs/s', verdict: verdict(endToEnd(memory), 50_000, true, ' jobs/s') }, ''))

  return {
    title: `1 + 3. No-op function jobs/s (enqueue all, then drain; concurrency ${CONCURRENCY} for enqueuers and workers)`,
    headers: ['backend', 'side', 'jobs', 'enqueue jobs/s', 'drain jobs/s', 'end-to-end jobs/s', 'wire/job', 'nvent/raw', 'target', 'verdict'],
    rows,
    notes: [
      'end-to-end = jobs / (enqueue time + drain time); the ratio and the verdicts use it. Drain time runs from starting the workers to the last handler call.',
      'wire/job: commands ioredis sent (every client in the process, pipelined commands counted one by one) or queries pg sent, during both phases, per job.',
      'PostgreSQL ratio is against the fetch/complete loop, the faster raw consumer; pg-boss `work()` sleeps out its polling interval (>= 0.5 s) after every fetch, so it is shown on a smaller sample for reference only.',
    ],
  }
}
