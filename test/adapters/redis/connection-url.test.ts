// A connection URL wins over the host/port fields, which the module always fills with their defaults.
import { describe, expect, it } from 'vitest'
import { createRedisStore } from '../../../src/runtime/adapters/redis'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)

describe.skipIf(Boolean(skip))('redis connection options', () => {
  it('connects to the URL even when host and port name an unreachable server', async () => {
    const store = await createRedisStore({ connection: { url: REDIS_URL, host: '127.0.0.1', port: 1 }, prefix: 'nvent_url_test' })
    try {
      await store.kvSet('probe', 1, { ttl: 1000 })
      expect(await store.kvGet('probe')).toBe(1)
    }
    finally {
      await store.close()
    }
  })
})
