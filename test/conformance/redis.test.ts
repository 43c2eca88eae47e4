import { Redis } from 'ioredis'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../adapters/redis'
import { REDIS_URL, unreachableReason } from '../helpers/services'
import { defineServerBackend } from './server-backend'
import { runConformance } from './suite'

const connection = { url: REDIS_URL }

runConformance(defineServerBackend({
  name: 'redis',
  skip: await unreachableReason('Redis', REDIS_URL),
  async open(prefix) {
    return {
      queue: await createRedisQueue({ connection, prefix }),
      store: await createRedisStore({ connection, prefix }),
      stream: await createRedisStream({ connection, prefix }),
    }
  },
  async cleanup(prefixes) {
    const client = new Redis(REDIS_URL)
    for (const prefix of prefixes) {
      for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0)
          await client.unlink(...keys)
      }
    }
    await client.quit()
  },
}))
