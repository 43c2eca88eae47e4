import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll } from 'vitest'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../adapters/redis'
import { REDIS_URL, unreachableReason } from '../helpers/services'
import type { Adapters, Backend } from './backend'
import { closeAdapters } from './adapter-helpers'
import { runConformance } from './suite'

const connection = { url: REDIS_URL }
/** Every prefix handed out, so their keys can be removed after the suites. */
const prefixes: string[] = []
const prefixOf = new WeakMap<Adapters, string>()

async function open(prefix: string): Promise<Adapters> {
  const adapters = {
    queue: await createRedisQueue({ connection, prefix }),
    store: await createRedisStore({ connection, prefix }),
    stream: await createRedisStream({ connection, prefix }),
  }
  prefixOf.set(adapters, prefix)
  return adapters
}

const backend: Backend = {
  name: 'redis',
  skip: await unreachableReason('Redis', REDIS_URL),
  async create() {
    const prefix = `nvent-test-${randomUUID()}`
    prefixes.push(prefix)
    return open(prefix)
  },
  async reopen(adapters) {
    await closeAdapters(adapters)
    return open(prefixOf.get(adapters)!)
  },
}

runConformance(backend)

afterAll(async () => {
  if (backend.skip || prefixes.length === 0)
    return
  const client = new Redis(REDIS_URL)
  for (const prefix of prefixes) {
    for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0)
        await client.unlink(...keys)
    }
  }
  await client.quit()
})
