/**
 * Adapters of a persistent backend under one namespace (a data dir, a key prefix, a schema prefix), for
 * tests that open the same data from several places: conformance suites, child processes, restarts.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { createFileQueue, createFileStore } from '../../src/runtime/adapters/file'
import { createMemoryStream } from '../../src/runtime/adapters/memory'
import { createPostgresQueue, createPostgresStore, createPostgresStream } from '../../src/runtime/adapters/postgres'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../src/runtime/adapters/redis'
import type { AdapterOptions, Adapters } from '../conformance/backend'
import { POSTGRES_URL, REDIS_URL } from './services'

export type PersistentBackend = 'file' | 'redis' | 'postgres'

/** The three adapters of `backend` on `namespace` (a directory for file). */
export async function openAdapters(backend: PersistentBackend, namespace: string, options: AdapterOptions = {}): Promise<Adapters> {
  const { crashRecovery, eventsPerRun } = options
  if (backend === 'file')
    return { queue: await createFileQueue({ dir: join(namespace, 'queue') }), store: await createFileStore({ dir: join(namespace, 'store'), eventsPerRun }), stream: await createMemoryStream() }
  if (backend === 'redis') {
    const connection = { url: REDIS_URL }
    return {
      queue: await createRedisQueue({ connection, prefix: namespace, crashRecovery }),
      store: await createRedisStore({ connection, prefix: namespace, eventsPerRun }),
      stream: await createRedisStream({ connection, prefix: namespace }),
    }
  }
  const connection = { connectionString: POSTGRES_URL }
  const [queue, store, stream] = await Promise.all([
    createPostgresQueue({ connection, schema: `${namespace}_queue`, crashRecovery }),
    createPostgresStore({ connection, schema: `${namespace}_store`, eventsPerRun }),
    createPostgresStream({ connection, schema: `${namespace}_stream`, channel: namespace }),
  ])
  return { queue, store, stream }
}

/** Removes everything kept under `namespaces` (directories for file) from the backend. */
export async function removeNamespaces(backend: PersistentBackend, namespaces: string[]): Promise<void> {
  if (backend === 'file') {
    for (const dir of namespaces) rmSync(dir, { recursive: true, force: true })
    return
  }
  if (backend === 'redis') {
    const client = new Redis(REDIS_URL)
    for (const prefix of namespaces) {
      for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0)
          await client.unlink(...keys)
      }
    }
    await client.quit()
    return
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  for (const name of namespaces)
    await client.query(`DROP SCHEMA IF EXISTS ${name}_queue, ${name}_store, ${name}_stream CASCADE`)
  await client.end()
}
