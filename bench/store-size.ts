/**
 * Store size after 100,000 runs: each backend's store receives what a short run writes (created with its
 * first event, a state key, two log lines, completed), 10% of them failing, with the default retention
 * pass every 1,000 runs, as the periodic pass would. The table shows what is left and what it takes up.
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import type { RunRetention, StoreAdapter } from '../src/runtime/contracts/store'
import { defaultOptions } from '../src/runtime/defaults'
import { createRun, failRun, event } from '../src/runtime/engine/transitions'
import type { RegistryFlow } from '../src/runtime/types/registry'
import type { BackendName, BenchBackend } from './backends'
import { cleanupBackends, closeAdapters, POSTGRES_URL, REDIS_URL } from './backends'
import type { Table } from './util'
import { fmt, inParallel, now } from './util'

const RUNS = Number(process.env.NVENT_BENCH_STORE_RUNS ?? 100_000)
const PRUNE_EVERY = 1_000
const CONCURRENCY = 50
const keep: RunRetention = defaultOptions.store.retention
const flow: RegistryFlow = { name: 'sized', entry: 'work', steps: {} }

/** One run's writes, as the engine makes them for a one-step run. */
async function writeRun(store: StoreAdapter, i: number) {
  const { run, events } = createRun(flow, randomUUID(), { orderId: `o-${i}`, total: i }, Date.now())
  await store.createRun(run, events)
  await store.stateSet(run.id, 'order', { orderId: `o-${i}`, lines: [1, 2, 3] })
  await store.appendEvents(run.id, [
    { type: 'log', runId: run.id, flowName: flow.name, step: 'work', attempt: 1, data: { level: 'info', message: 'charging', meta: { total: i } } },
    { type: 'log', runId: run.id, flowName: flow.name, step: 'work', attempt: 1, data: { level: 'info', message: 'charged' } },
  ])
  await store.updateRun(run.id, current => i % 10 === 9
    ? failRun(current, 'card declined', Date.now())
    : { run: { ...current, status: 'completed', finishedAt: Date.now(), updatedAt: Date.now() }, events: [event(current, 'flow.completed')] })
}

/**
 * What the store takes up where it keeps its data, in bytes; with `queue`, the queue's data too (the file
 * backend's other files; Redis and PostgreSQL count every key of the prefix, or every schema of it).
 */
export async function sizeOf(backend: BackendName, namespace: string | undefined, queue = false): Promise<number | undefined> {
  if (backend === 'memory' || namespace === undefined)
    return undefined
  if (backend === 'file') {
    // The bench's file queue shares the dir; the store's files are `store.*`.
    return readdirSync(namespace).filter(file => queue || file.startsWith('store.')).reduce((total, file) => total + statSync(join(namespace, file)).size, 0)
  }
  if (backend === 'redis') {
    const redis = new Redis(REDIS_URL)
    let bytes = 0
    for await (const keys of redis.scanStream({ match: `${namespace}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      for (const key of keys) bytes += Number(await redis.memory('USAGE', key)) || 0
    }
    await redis.quit()
    return bytes
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  const { rows } = await client.query(`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::float8 AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1) AND c.relkind = 'r'`, [[`${namespace}_store`, ...queue ? [`${namespace}_queue`] : []]])
  await client.end()
  return rows[0].bytes
}

/**
 * PostgreSQL reclaims the rows pruning deletes through (auto)vacuum, and its planner learns the tables'
 * contents through (auto)analyze. Where the server has autovacuum off, the bench does both after each
 * pass, as autovacuum would, so the figures are a server's steady state rather than a pile of dead rows
 * or plans made for empty tables.
 */
export async function vacuumWhenAutovacuumIsOff(namespace: string, kinds = ['store']): Promise<{ run(): Promise<void>, close(): Promise<void> } | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  const { rows } = await client.query('SHOW autovacuum')
  if (rows[0].autovacuum === 'on') {
    await client.end()
    return undefined
  }
  // Every table of the schemas: for the store, runs, their events and state, and the counters' delta rows folding leaves.
  const { rows: found } = await client.query('SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY($1)', [kinds.map(kind => `${namespace}_${kind}`)])
  const tables = found.map(row => `${row.schemaname}.${row.tablename}`).join(', ')
  return { run: async () => void await client.query(`VACUUM (ANALYZE) ${tables}`), close: () => client.end() }
}

async function measure(backend: BenchBackend): Promise<string[]> {
  const adapters = await backend.create()
  const { store, namespace } = adapters
  try {
    const started = now()
    let pruned = 0
    const vacuum = backend.name === 'postgres' ? await vacuumWhenAutovacuumIsOff(namespace!) : undefined
    for (let done = 0; done < RUNS; done += PRUNE_EVERY) {
      await inParallel(Math.min(PRUNE_EVERY, RUNS - done), CONCURRENCY, i => writeRun(store, done + i))
      pruned += await store.pruneRuns(flow.name, keep)
      await vacuum?.run()
    }
    await vacuum?.close()
    const seconds = (now() - started) / 1000
    const kept = (await store.listRuns({ flow: flow.name, limit: 1 })).total
    const bytes = await sizeOf(backend.name, namespace)
    return [backend.name, fmt(RUNS), fmt(pruned), fmt(kept), bytes === undefined ? 'n/a' : `${fmt(bytes / 1024 / 1024, 1)} MB`, bytes === undefined ? 'n/a' : fmt(bytes / kept), fmt(RUNS / seconds)]
  }
  finally {
    await closeAdapters(adapters)
  }
}

export async function measureStoreSize(backends: Record<BackendName, BenchBackend>): Promise<Table> {
  const rows: string[][] = []
  try {
    for (const backend of Object.values(backends))
      rows.push(backend.missing ? [backend.name, `n/a (${backend.missing})`, '', '', '', '', ''] : await measure(backend))
  }
  finally {
    await cleanupBackends()
  }
  return {
    title: `Store size after ${fmt(RUNS)} runs (default retention: ${keep.completed.count} completed, ${keep.failed.count} failed kept per flow)`,
    headers: ['backend', 'runs', 'pruned', 'kept', 'store size', 'bytes per kept run', 'runs/s written'],
    rows,
    notes: [
      'Each run: created with its first event, one state key, two log lines, then completed (every tenth failed), written straight to the store, 50 at a time; the retention pass runs every 1,000 runs.',
      'Size: file = journal and snapshot on disk; Redis = MEMORY USAGE of every key under the prefix; PostgreSQL = tables with indexes and TOAST of the store schema, vacuumed after each pass where the server has autovacuum off (as autovacuum would). Memory: not measured (in-process).',
    ],
  }
}
