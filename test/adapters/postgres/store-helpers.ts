/** What the PostgreSQL store tests share: stores on fresh schemas (closed and dropped after), raw queries. */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach } from 'vitest'
import { createPostgresStore } from '../../../src/runtime/adapters/postgres'
import type { StoreAdapter } from '../../../src/runtime/contracts/store'
import type { RunRecord } from '../../../src/runtime/types/run'
import { makeRun } from '../../conformance/store-runs'
import { POSTGRES_URL, unreachableReason } from '../../helpers/services'

export const skip = await unreachableReason('PostgreSQL', POSTGRES_URL)
export const connection = { connectionString: POSTGRES_URL }

/** A run of flow `f`. */
export const runOfF = (id: string, overrides: Partial<RunRecord> = {}) => makeRun(id, { flowName: 'f', input: {}, ...overrides })

/** One query on its own connection, outside any store. */
export async function query(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  }
  finally {
    await client.end()
  }
}

/** Registers the hooks that close the test's stores and drop its schemas; returns the ways to make them. */
export function useStores() {
  const schemas: string[] = []
  let open: StoreAdapter[] = []

  afterEach(async () => {
    await Promise.all(open.map(store => store.close()))
    open = []
  })

  afterAll(async () => {
    if (!skip && schemas.length > 0)
      await query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`)
  })

  function freshSchema(): string {
    const schema = `nvent_pgs_${randomUUID().slice(0, 8)}`
    schemas.push(schema)
    return schema
  }

  async function stores(count: number, schema = freshSchema(), eventsPerRun?: number): Promise<StoreAdapter[]> {
    const made = await Promise.all(Array.from({ length: count }, () => createPostgresStore({ connection, schema, eventsPerRun })))
    open.push(...made)
    return made
  }

  return { freshSchema, stores }
}
