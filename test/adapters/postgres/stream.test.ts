/** PostgreSQL-only stream behaviour: instances on one channel, and messages too large for NOTIFY. */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createPostgresStream } from '../../../src/runtime/adapters/postgres'
import type { StreamAdapter } from '../../../src/runtime/contracts/stream'
import { POSTGRES_URL, unreachableReason } from '../../helpers/services'
import { waitFor } from '../../conformance/adapter-helpers'

const skip = await unreachableReason('PostgreSQL', POSTGRES_URL)
const connection = { connectionString: POSTGRES_URL }
const schemas: string[] = []
let open: StreamAdapter[] = []

async function instances(count: number): Promise<StreamAdapter[]> {
  const channel = `nvent_pgt_${randomUUID().slice(0, 8)}`
  schemas.push(channel)
  const made = await Promise.all(Array.from({ length: count }, () => createPostgresStream({ connection, channel, schema: channel })))
  open.push(...made)
  return made
}

afterEach(async () => {
  await Promise.all(open.map(stream => stream.close()))
  open = []
})

afterAll(async () => {
  if (skip || schemas.length === 0)
    return
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS ${schemas.join(', ')} CASCADE`)
  await client.end()
})

describe.skipIf(Boolean(skip))('postgres stream', () => {
  it('delivers to another instance as soon as subscribe resolved', async () => {
    const [listener, publisher] = await instances(2)
    const got: unknown[] = []
    await listener!.subscribe('t', message => got.push(message))
    await publisher!.publish('t', 'first')
    await waitFor(() => got.length === 1, 'the message')
    expect(got).toEqual(['first'])
  })

  it('carries messages larger than NOTIFY allows, in order with small ones', async () => {
    const [listener, publisher] = await instances(2)
    const got: unknown[] = []
    await listener!.subscribe('t', message => got.push(message))
    const large = { text: 'é'.repeat(6000), list: Array.from({ length: 500 }, (_, i) => i) }
    await publisher!.publish('t', 'before')
    await publisher!.publish('t', large)
    await publisher!.publish('t', 'after')
    await waitFor(() => got.length === 3, 'three messages')
    expect(got).toEqual(['before', large, 'after'])
  })

  it('refuses a message JSONB cannot keep', async () => {
    const [stream] = await instances(1)
    await expect(stream!.publish('t', { f: () => 1 })).rejects.toThrow(/`f` is a function/)
  })
})
