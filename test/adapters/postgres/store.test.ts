/** PostgreSQL-only store behaviour: JSONB's limits, instances sharing one schema, and the migrations. */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createPostgresStore } from '../../../adapters/postgres'
import type { StoreAdapter } from '../../../runtime/contracts/store'
import type { RunRecord } from '../../../runtime/types/run'
import { POSTGRES_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('PostgreSQL', POSTGRES_URL)
const connection = { connectionString: POSTGRES_URL }
const schemas: string[] = []
let open: StoreAdapter[] = []

function freshSchema(): string {
  const schema = `nvent_pgs_${randomUUID().slice(0, 8)}`
  schemas.push(schema)
  return schema
}

async function stores(count: number, schema = freshSchema()): Promise<StoreAdapter[]> {
  const made = await Promise.all(Array.from({ length: count }, () => createPostgresStore({ connection, schema })))
  open.push(...made)
  return made
}

function makeRun(id: string, input: unknown = {}): RunRecord {
  const now = Date.now()
  return { id, flowName: 'f', status: 'running', input, steps: {}, emitted: {}, createdAt: now, updatedAt: now }
}

async function query(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  }
  finally {
    await client.end()
  }
}

afterEach(async () => {
  await Promise.all(open.map(store => store.close()))
  open = []
})

afterAll(async () => {
  if (!skip && schemas.length > 0)
    await query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`)
})

describe.skipIf(Boolean(skip))('postgres store', () => {
  it('refuses what JSONB cannot keep, naming where it is, and stores nothing of it', async () => {
    const [store] = await stores(1)
    await expect(store!.kvSet('k', { text: 'a\u0000b' })).rejects.toThrow(/`text` contains a NUL character/)
    await expect(store!.kvSet('k', { at: new Date() })).rejects.toThrow(/`at` is a Date/)
    await expect(store!.kvSet('k', [1, Number.NaN])).rejects.toThrow(/`\[1\]` is NaN/)
    await expect(store!.kvSet('k', 10n)).rejects.toThrow(/the value is a bigint/)
    await expect(store!.createRun(makeRun('r', { bad: '\u0000' }), [])).rejects.toThrow(/cannot store run "r": `input.bad`/)
    expect(await store!.kvGet('k')).toBeUndefined()
    expect(await store!.getRun('r')).toBeNull()
  })

  it('keeps event data that is JSON null apart from absent data', async () => {
    const [store] = await stores(1)
    const run = makeRun('r')
    await store!.createRun(run, [{ type: 'log', runId: 'r', flowName: 'f', data: null }, { type: 'log', runId: 'r', flowName: 'f' }])
    const [withNull, without] = await store!.readEvents('r')
    expect('data' in withNull!).toBe(true)
    expect(withNull!.data).toBeNull()
    expect('data' in without!).toBe(false)
  })

  it('serializes transitions of one run across instances', async () => {
    const [a, b] = await stores(2)
    await a!.createRun({ ...makeRun('r'), emitted: { n: 0 } }, [])
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
    expect(await query(`SELECT scope, version FROM ${schema}.nvent_migrations ORDER BY version`)).toEqual([{ scope: 'store', version: 1 }, { scope: 'store', version: 2 }])
    await stores(1, schema)
    expect(await query(`SELECT count(*)::int AS n FROM ${schema}.nvent_migrations`)).toEqual([{ n: 2 }])
  })

  it('rejects a schema name it would have to quote', async () => {
    await expect(createPostgresStore({ connection, schema: 'bad-name; drop' })).rejects.toThrow(/invalid PostgreSQL schema name/)
  })
})
