/**
 * PostgreSQL-only behaviour of the monitor's queries: counters seeded from runs written before they
 * existed, exact under concurrent instances and folded in the background, and id prefixes taken literally.
 */
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrate, STORE_MIGRATIONS } from '../../../src/runtime/adapters/postgres/migrations'
import { RUN_MINUTES_KEPT } from '../../../src/runtime/contracts/store'
import type { RunRecord, RunStatus } from '../../../src/runtime/types/run'
import { POSTGRES_URL } from '../../helpers/services'
import { waitFor } from '../../helpers/wait'
import { query, runOfF, skip, useStores } from './store-helpers'

const { freshSchema, stores } = useStores()

/** The counts as a GROUP BY over the runs themselves tells them, by flow. */
async function countedByScan(schema: string) {
  const rows = await query(`SELECT flow_name, status, count(*)::int AS n FROM ${schema}.runs GROUP BY flow_name, status`)
  const flows: Record<string, Record<string, number>> = {}
  for (const row of rows)
    (flows[row.flow_name] ??= {})[row.status] = row.n
  return flows
}

describe.skipIf(Boolean(skip))('postgres store: run counters', () => {
  it('counts the runs written before the counters existed, awaiting ones included', async () => {
    const schema = freshSchema()
    const pool = new pg.Pool({ connectionString: POSTGRES_URL })
    await migrate(pool, schema, 'store', STORE_MIGRATIONS.filter(m => m.version <= 3))
    await pool.end()
    const row = (run: RunRecord) =>
      `('${run.id}', '${run.flowName}', '${run.status}', '${JSON.stringify(run)}', to_timestamp(${run.createdAt / 1000}), to_timestamp(${run.updatedAt / 1000}))`
    const waiting = { wait: { status: 'awaiting' as const, attempt: 0, queuedAt: 1 } }
    await query(`INSERT INTO ${schema}.runs (id, flow_name, status, record, created_at, updated_at) VALUES
      ${row(runOfF('a', { steps: waiting }))}, ${row(runOfF('b'))}, ${row(runOfF('c', { status: 'completed' }))},
      ${row(runOfF('d', { flowName: 'g', status: 'failed', steps: waiting }))}`)
    const [store] = await stores(1, schema)
    expect((await store!.runStats(0)).flows).toEqual({ f: { running: 2, awaiting: 1, completed: 1 }, g: { failed: 1 } })
    expect((await store!.listRuns({})).total).toBe(4)
    expect((await store!.listRuns({ flow: 'f', status: 'running' })).total).toBe(2)
    await store!.updateRun('a', run => ({ run: { ...run, status: 'canceled', steps: {} }, events: [] }))
    expect((await store!.runStats(0)).flows.f).toEqual({ running: 1, completed: 1, canceled: 1 })
  })

  it('keeps counts exact under concurrent instances, folds them, and drops minutes past those kept', async () => {
    const schema = freshSchema()
    const [a, b] = await stores(2, schema)
    const now = Date.now()
    const old = now - RUN_MINUTES_KEPT - 10 * 60_000
    const ids = Array.from({ length: 600 }, (_, i) => `run-${i}`)
    // Each instance makes 600 writes here (over the 500 between folds), the runs' transitions interleaved.
    await Promise.all(ids.map((id, i) => (i % 2 ? a! : b!).createRun(runOfF(id, {
      flowName: i % 3 ? 'f' : 'g', createdAt: i < 10 ? old : now, updatedAt: i < 10 ? old : now,
    }), [])))
    const ends: RunStatus[] = ['completed', 'failed', 'canceled', 'stalled', 'running']
    await Promise.all(ids.map((id, i) => (i % 2 ? b! : a!).updateRun(id, run =>
      ({ run: { ...run, status: ends[i % ends.length]!, updatedAt: run.updatedAt + 1 }, events: [] }))))
    expect((await a!.runStats(0)).flows).toEqual(await countedByScan(schema))

    await waitFor(async () => (await query(`SELECT count(*)::int AS n FROM ${schema}.run_minutes WHERE minute < ${now - RUN_MINUTES_KEPT}`))[0].n === 0, 'the old minutes to be dropped')
    // 1560 delta rows were inserted; a fold leaves one per flow and count, plus those inserted after it.
    expect((await query(`SELECT count(*)::int AS n FROM ${schema}.run_counts`))[0].n).toBeLessThan(800)
    expect((await b!.runStats(0)).flows).toEqual(await countedByScan(schema))
    expect((await b!.runStats(now)).minutes.reduce((sum, minute) => sum + minute.started, 0)).toBe(590)
  })

  it('matches an id prefix literally, LIKE wildcards and all', async () => {
    const [store] = await stores(1)
    for (const id of ['a_b-1', 'axb-2', 'a%c-3', 'a\\d-4', 'abc'])
      await store!.createRun(runOfF(id), [])
    const ids = async (idPrefix: string) => (await store!.listRuns({ idPrefix })).items.map(run => run.id).sort()
    expect(await ids('a_')).toEqual(['a_b-1'])
    expect(await ids('a%')).toEqual(['a%c-3'])
    expect(await ids('a\\')).toEqual(['a\\d-4'])
    expect(await ids('a')).toHaveLength(5)
  })
})
