/** The real servers behind the playground's backends, for tests that build it on each of them. */
import { Redis } from 'ioredis'
import pg from 'pg'
import { POSTGRES_URL, REDIS_URL, unreachableReason } from '../../test/helpers/services'

export interface ServerBackend {
  name: 'redis' | 'postgres'
  url: string
  /** Why the backend's tests are skipped (outside CI only); undefined to run them. */
  skip(): Promise<string | undefined>
  /** Removes everything an app built with `prefix` left on the server (at `url`: another Redis database). */
  cleanup(prefix: string, url?: string): Promise<void>
}

export const serverBackends: ServerBackend[] = [
  {
    name: 'redis',
    url: REDIS_URL,
    skip: () => unreachableReason('Redis', REDIS_URL),
    async cleanup(prefix, url = REDIS_URL) {
      const redis = new Redis(url)
      const keys = await redis.keys(`${prefix}:*`)
      for (let i = 0; i < keys.length; i += 500)
        await redis.del(...keys.slice(i, i + 500))
      await redis.quit()
    },
  },
  {
    name: 'postgres',
    url: POSTGRES_URL,
    skip: () => unreachableReason('PostgreSQL', POSTGRES_URL),
    async cleanup(prefix) {
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${prefix}_queue" CASCADE; DROP SCHEMA IF EXISTS "${prefix}_store" CASCADE`)
      await client.end()
    },
  },
]
