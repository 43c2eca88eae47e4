/**
 * PostgreSQL-only store behaviour: JSONB's limits, instances sharing one schema, the migrations, and what
 * retention does at sizes and on data the conformance cases do not reach.
 */
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../../src/runtime/adapters/postgres'
import { migrate, STORE_MIGRATIONS } from '../../../src/runtime/adapters/postgres/migrations'
import type { StoreAdapter } from '../../../src/runtime/contracts/store'
import type { RunRecord } from '../../../src/runtime/types/run'
import { POSTGRES_URL } from '../../helpers/services'
import { waitFor } from '../../helpers/wait'
import { connection, query, runOfF, skip, useStores } from './store-helpers'

const { freshSchema, stores } = useStores()

describe.skipIf(Boolean(skip))('postgres store', () => {
  it('refuses what JSONB cannot keep, naming where it is, and stores nothing of it', async () => {
    const [store] = await stores(1)
    await expect(store!.kvSet('k', { text: 'a\u0000b' })).rejects.toThrow(/`text` contains a NUL character/)
    await expect(store!.kvSet('k', { at: new Date() })).rejects.toThrow(/`at` is a Date/)
    await expect(store!.kvSet('k', [1, Number.NaN])).rejects.toThrow(/`\[1\]` is NaN/)
    await expect(store!.kvSet('k', 10n)).rejects.toThrow(/the value is a bigint/)
    await expect(store!.createRun(runOfF('r', { input: { bad: '\u0000' } }), [])).rejects.toThrow(/cannot store run "r": `input.bad`/)
    expect(await store!.kvGet('k')).toBeUndefined()
    expect(await store!.getRun('r')).toBeNull()
  })

  it('keeps event data that is JSON null apart from absent data', async () => {
    const [store] = await stores(1)
    const run = runOfF('r')
    await store!.createRun(run, [{ type: 'log', runId: 'r', flowName: 'f', data: null }, { type: 'log', runId: 'r', flowName: 'f' }])
    const [withNull, without] = await store!.readEvents('r')
    expect('data' in withNull!).toBe(true)
    expect(withNull!.data).toBeNull()
    expect('data' in without!).toBe(false)
  })

  it('serializes transitions of one run across instances', async () => {
    const [a, b] = await stores(2)
    await a!.createRun(runOfF('r', { emitted: { n: 0 } }), [])
    const bump = (store: StoreAdapter) => store.updateRun('r', run => ({ run: { ...run, emitted: { n: (run.emitted.n as number) + 1 } }, events: [] }))
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? a! : b!)))
    expect((await b!.getRun('r'))!.emitted.n).toBe(20)
  })

  it('lets one of several instances claim a key', async () => {
    const all = await stores(4)
    const wins = await Promise.all(all.map((store, i) => store.kvClaim('tick', i, { ttl: 60_000 })))
    expect(wins.filter(Boolean)).toHaveLength(1)
  })

  it('applies each migration once when instances start together on a new schema', async () => {
    const schema = freshSchema()
    await stores(5, schema)
    const versions = STORE_MIGRATIONS.map(m => ({ scope: 'store', version: m.version }))
    expect(await query(`SELECT scope, version FROM ${schema}.nvent_migrations ORDER BY version`)).toEqual(versions)
    await stores(1, schema)
    expect(await query(`SELECT count(*)::int AS n FROM ${schema}.nvent_migrations`)).toEqual([{ n: versions.length }])
  })

  it('prunes runs finished before the upgrade by the finish time their record holds', async () => {
    const schema = freshSchema()
    const pool = new pg.Pool({ connectionString: POSTGRES_URL })
    await migrate(pool, schema, 'store', STORE_MIGRATIONS.filter(m => m.version <= 2))
    await pool.end()
    // Rows as version 2 wrote them: the finish time only in the record, created in another order than finished.
    const row = (id: string, createdAt: number, record: Partial<RunRecord>) =>
      `('${id}', 'f', '${record.status}', '${JSON.stringify({ ...runOfF(id), createdAt, updatedAt: createdAt, ...record })}', to_timestamp(${createdAt / 1000}), to_timestamp(${createdAt / 1000}))`
    const t = Date.now() - 60_000
    await query(`INSERT INTO ${schema}.runs (id, flow_name, status, record, created_at, updated_at) VALUES
      ${row('first-finished', t + 3, { status: 'completed', finishedAt: t + 10 })},
      ${row('last-finished', t + 1, { status: 'completed', finishedAt: t + 30 })},
      ${row('no-time', t + 20, { status: 'completed' })},
      ${row('live', t, { status: 'running' })}`)
    const [store] = await stores(1, schema)
    expect(await store!.pruneRuns('f', { completed: { count: 2 }, failed: {} })).toBe(1)
    expect((await store!.listRuns({ flow: 'f' })).items.map(run => run.id).sort()).toEqual(['last-finished', 'live', 'no-time'])
  })

  it('prunes a backlog larger than one delete batch', async () => {
    const [store] = await stores(1)
    const now = Date.now()
    const ids = Array.from({ length: 1_200 }, (_, i) => `run-${String(i).padStart(4, '0')}`)
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(ids.slice(i, i + 100).map((id, j) =>
        store!.createRun(runOfF(id, { status: 'completed', finishedAt: now - ids.length + i + j }), [])))
    }
    expect(await store!.pruneRuns('f', { completed: { count: 100 }, failed: {} })).toBe(1_100)
    const kept = await store!.listRuns({ flow: 'f', limit: 200 })
    expect(kept.total).toBe(100)
    expect(kept.items.map(run => run.id).sort()).toEqual(ids.slice(-100))
  })

  it('keeps only the newest eventsPerRun of one write that alone exceeds the cap', async () => {
    const [store] = await stores(1, freshSchema(), 3)
    const event = (n: number) => ({ type: 'log' as const, runId: 'r', flowName: 'f', data: n })
    await store!.createRun(runOfF('r'), [1, 2, 3, 4].map(event))
    expect((await store!.readEvents('r')).map(e => e.data)).toEqual([2, 3, 4])
    const appended = await store!.appendEvents('r', [5, 6, 7, 8, 9].map(event))
    expect((await store!.readEvents('r')).map(e => [e.id, e.data])).toEqual(appended.slice(-3).map(e => [e.id, e.data]))
  })

  it('sweeps expired run state out of the table', async () => {
    const schema = freshSchema()
    const [store] = await stores(1, schema)
    await store!.stateSet('gone', 'k', 1, { ttl: 1 })
    // The sweep runs every 500 writes.
    for (let i = 0; i < 500; i++)
      await store!.stateSet('kept', `k${i % 10}`, i)
    await waitFor(async () => (await query(`SELECT count(*)::int AS n FROM ${schema}.state WHERE scope = 'gone'`))[0].n === 0, 'the expired row to be swept', 20_000)
  })

  it('rejects a schema name it would have to quote', async () => {
    await expect(createPostgresStore({ connection, schema: 'bad-name; drop' })).rejects.toThrow(/invalid PostgreSQL schema name/)
  })

  it('rejects an eventsPerRun that is not a positive integer', async () => {
    for (const eventsPerRun of [0, 2.5, Number.NaN])
      await expect(createPostgresStore({ connection, schema: freshSchema(), eventsPerRun })).rejects.toThrow(/eventsPerRun must be a positive integer, got/)
  })
})
