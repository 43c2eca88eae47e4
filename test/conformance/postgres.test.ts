import pg from 'pg'
import { createPostgresQueue, createPostgresStore, createPostgresStream } from '../../adapters/postgres'
import { POSTGRES_URL, unreachableReason } from '../helpers/services'
import { defineServerBackend } from './server-backend'
import { runConformance } from './suite'

const connection = { connectionString: POSTGRES_URL }

runConformance(defineServerBackend({
  name: 'postgres',
  skip: await unreachableReason('PostgreSQL', POSTGRES_URL),
  async open(name) {
    const [queue, store, stream] = await Promise.all([
      createPostgresQueue({ connection, schema: `${name}_queue` }),
      createPostgresStore({ connection, schema: `${name}_store` }),
      createPostgresStream({ connection, schema: `${name}_stream`, channel: name }),
    ])
    return { queue, store, stream }
  },
  async cleanup(names) {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    for (const name of names)
      await client.query(`DROP SCHEMA IF EXISTS ${name}_queue, ${name}_store, ${name}_stream CASCADE`)
    await client.end()
  },
}))
