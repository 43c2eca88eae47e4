// Backends mix per adapter kind: the engine's rules hold with a PostgreSQL queue and store and a Redis stream.
import pg from 'pg'
import { describe } from 'vitest'
import { createPostgresQueue, createPostgresStore } from '../../src/runtime/adapters/postgres'
import { createRedisStream } from '../../src/runtime/adapters/redis'
import { POSTGRES_URL, REDIS_URL, unreachableReason } from '../helpers/services'
import { describeEngineConformance } from './engine'
import { defineServerBackend } from './server-backend'

const skip = await unreachableReason('PostgreSQL', POSTGRES_URL) ?? await unreachableReason('Redis', REDIS_URL)
const connection = { connectionString: POSTGRES_URL }

const backend = defineServerBackend({
  name: 'postgres+redis',
  skip,
  async open(name) {
    const [queue, store, stream] = await Promise.all([
      createPostgresQueue({ connection, schema: `${name}_queue` }),
      createPostgresStore({ connection, schema: `${name}_store` }),
      createRedisStream({ connection: { url: REDIS_URL }, prefix: name }),
    ])
    return { queue, store, stream }
  },
  async cleanup(names) {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    for (const name of names)
      await client.query(`DROP SCHEMA IF EXISTS ${name}_queue, ${name}_store CASCADE`)
    // The Redis stream is pub/sub only: it leaves no keys behind.
    await client.end()
  },
})

describe.skipIf(Boolean(skip))('mixed backends', () => describeEngineConformance(backend))
