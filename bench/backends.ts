/**
 * Fresh, isolated nvent adapters per measurement (own Redis prefix, PostgreSQL schemas or data dir) and
 * the cleanup that removes them: Redis keys of the prefix, the schemas, the dir.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { createFileQueue, createFileStore } from '../src/runtime/adapters/file'
import { createMemoryQueue, createMemoryStore, createMemoryStream } from '../src/runtime/adapters/memory'
import { createRedisQueue, createRedisStore, createRedisStream } from '../src/runtime/adapters/redis'
import type { Adapters, Backend } from '../test/conformance/backend'
import { POSTGRES_URL, REDIS_URL } from '../test/helpers/services'

export { POSTGRES_URL, REDIS_URL }
export type BackendName = 'memory' | 'file' | 'redis' | 'postgres'

/** Fresh adapters and where they keep their data: the data dir, key prefix or schema stem (`<it>_store`). */
export type BenchAdapters = Adapters & { namespace?: string }

/** A backend to measure, or why it cannot be (`missing` is printed in its rows). */
export interface BenchBackend extends Backend {
  name: BackendName
  missing?: string
  create(): Promise<BenchAdapters>
}

/** A short unique name part: lower-case, so it is also a plain PostgreSQL identifier. */
export const uniqueId = () => `b${Date.now().toString(36)}${randomBytes(3).toString('hex')}`

/** Deletes every key under `prefix:`. */
export async function deleteRedisPrefix(prefix: string) {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0)
      await client.unlink(...keys)
  }
  await client.quit()
}

export async function dropSchemas(schemas: string[]) {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  }
  finally {
    await client.end()
  }
}

const cleanups: Array<() => Promise<void>> = []

/** Registers removal of something a measurement created (a prefix, a schema), run by `cleanupBackends`. */
export function onCleanup(cleanup: () => Promise<void>) {
  cleanups.push(cleanup)
}

/** Removes what every `create()` so far left behind; call after its adapters are closed. */
export async function cleanupBackends() {
  for (const cleanup of cleanups.splice(0)) await cleanup()
}

type PostgresFactories = Record<'createPostgresQueue' | 'createPostgresStore' | 'createPostgresStream', (options: object) => Promise<any>>

/** The PostgreSQL factories if `adapters/postgres/index.ts` exports them, else why not. */
async function loadPostgres(): Promise<PostgresFactories | string> {
  try {
    const mod = await import('../src/runtime/adapters/postgres/index.ts') as Partial<PostgresFactories>
    const absent = (['createPostgresQueue', 'createPostgresStore', 'createPostgresStream'] as const).filter(name => typeof mod[name] !== 'function')
    return absent.length ? `adapter missing: no ${absent.join(', ')}` : mod as PostgresFactories
  }
  catch (error) {
    const text = String((error as Error)?.message ?? error)
    return /cannot find|not found|ENOENT/i.test(text) ? 'adapter missing' : `adapter failed to load: ${text.split('\n')[0]}`
  }
}

export async function benchBackends(): Promise<Record<BackendName, BenchBackend>> {
  const postgres = await loadPostgres()
  return {
    memory: {
      name: 'memory',
      create: async () => ({ queue: await createMemoryQueue(), store: await createMemoryStore(), stream: await createMemoryStream() }),
    },
    file: {
      name: 'file',
      async create() {
        const dir = mkdtempSync(join(tmpdir(), 'nvent-bench-'))
        onCleanup(async () => rmSync(dir, { recursive: true, force: true }))
        return { queue: await createFileQueue({ dir }), store: await createFileStore({ dir }), stream: await createMemoryStream(), namespace: dir }
      },
    },
    redis: {
      name: 'redis',
      async create() {
        const prefix = `nvent-bench-${uniqueId()}`
        onCleanup(() => deleteRedisPrefix(prefix))
        const options = { connection: { url: REDIS_URL }, prefix }
        return { queue: await createRedisQueue(options), store: await createRedisStore(options), stream: await createRedisStream(options), namespace: prefix }
      },
    },
    postgres: {
      name: 'postgres',
      missing: typeof postgres === 'string' ? postgres : undefined,
      async create(): Promise<BenchAdapters> {
        if (typeof postgres === 'string')
          throw new Error(`postgres: ${postgres}`)
        const id = uniqueId()
        const schemas = { queue: `nvent_${id}_queue`, store: `nvent_${id}_store`, stream: `nvent_${id}_stream` }
        onCleanup(() => dropSchemas(Object.values(schemas)))
        const connection = { connectionString: POSTGRES_URL }
        return {
          queue: await postgres.createPostgresQueue({ connection, schema: schemas.queue }),
          store: await postgres.createPostgresStore({ connection, schema: schemas.store }),
          stream: await postgres.createPostgresStream({ connection, schema: schemas.stream, channel: `nvent_${id}` }),
          namespace: `nvent_${id}`,
        }
      },
    },
  }
}

export async function closeAdapters(adapters: Adapters) {
  await adapters.queue.close()
  await adapters.store.close()
  await adapters.stream.close()
}
