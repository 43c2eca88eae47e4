/** One pool per database for every adapter kind, given back in full when the last adapter closes. */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createPostgresQueue, createPostgresStore, createPostgresStream } from '../../../src/runtime/adapters/postgres'
import { openConnection } from '../../../src/runtime/adapters/postgres/pool'
import { waitFor } from '../../conformance/adapter-helpers'
import { POSTGRES_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('PostgreSQL', POSTGRES_URL)
const name = `nvent_pgc_${randomUUID().slice(0, 8)}`
/** An application name of its own (a connection string's parameters win), so only this test's connections count. */
const url = new URL(POSTGRES_URL)
url.searchParams.set('application_name', name)
const connection = { connectionString: url.href, max: 4 }

async function openConnections(): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [name])
  await client.end()
  return rows[0].n
}

afterAll(async () => {
  if (skip)
    return
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS ${name}_queue, ${name}_store, ${name}_stream CASCADE`)
  await client.end()
})

describe('postgres connections', () => {
  it('shares one pool between equal connection options and ends it with the last share', async () => {
    const a = openConnection({ host: '127.0.0.1', port: 1, max: 1 })
    const b = openConnection({ max: 1, port: 1, host: '127.0.0.1' })
    const other = openConnection({ host: '127.0.0.1', port: 2 })
    expect(a.pool).toBe(b.pool)
    expect(other.pool).not.toBe(a.pool)
    await a.release()
    expect(b.pool.ended).toBe(false)
    await b.release()
    await other.release()
    expect(b.pool.ended).toBe(true)
  })

  it.skipIf(Boolean(skip))('closes every connection of the queue, store and stream once all are closed', async () => {
    const queue = await createPostgresQueue({ connection, schema: `${name}_queue` })
    const store = await createPostgresStore({ connection, schema: `${name}_store` })
    const stream = await createPostgresStream({ connection, schema: `${name}_stream`, channel: name })
    await stream.subscribe('t', () => {})
    queue.process('q', async () => null, { concurrency: 2 })
    await queue.enqueue('q', { name: 'n', data: null })
    // The pool, plus the one LISTEN connection.
    expect(await openConnections()).toBeGreaterThan(0)
    expect(await openConnections()).toBeLessThanOrEqual(connection.max + 1)
    await Promise.all([queue.close(), store.close(), stream.close()])
    // The server lists a closed connection until its backend has exited.
    await waitFor(async () => await openConnections() === 0, 'every connection to close')
  })
})
