/**
 * A server backend on a private server of its own port, with the three adapters on it: for tests that
 * stop, restart or lose the server (reconnects, outages) without touching the shared one.
 */
import { randomUUID } from 'node:crypto'
import { createPostgresQueue, createPostgresStore, createPostgresStream } from '../../src/runtime/adapters/postgres'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../src/runtime/adapters/redis'
import type { Adapters } from '../conformance/backend'
import { privatePostgresUnavailable, startPrivatePostgres } from './private-postgres'
import { privateRedisUnavailable, startPrivateRedis } from './private-redis'
import { sleep } from './wait'

export interface PrivateServer {
  /** How the outage log names it: `<backend> at <host:port>`. */
  server: string
  adapters: Adapters
  stop(): Promise<void>
  start(): Promise<void>
  /** Down and up again, as a crashed or redeployed server would be. */
  restart(): Promise<void>
  remove(): Promise<void>
}

export interface PrivateBackend {
  name: 'redis' | 'postgres'
  /** Why its private server cannot run here; undefined to run it. */
  skip: string | undefined
  /** Starts the server on `port` and opens adapters on it, with the connection `timeout` if one is given. */
  start(port: number, timeout?: number): Promise<PrivateServer>
}

export const privateBackends: PrivateBackend[] = [
  {
    name: 'redis',
    skip: privateRedisUnavailable(),
    async start(port, timeout) {
      const server = await startPrivateRedis(port)
      const connection = { url: server.url, ...(timeout !== undefined && { timeout }) }
      const prefix = `private-${randomUUID()}`
      return {
        server: `Redis at 127.0.0.1:${port}`,
        adapters: {
          queue: await createRedisQueue({ connection, prefix }),
          store: await createRedisStore({ connection, prefix }),
          stream: await createRedisStream({ connection, prefix }),
        },
        stop: () => server.stop(),
        start: () => server.start(),
        async restart() {
          await server.stop()
          await sleep(700)
          await server.start()
        },
        remove: () => server.remove(),
      }
    },
  },
  {
    name: 'postgres',
    skip: privatePostgresUnavailable(),
    async start(port, timeout) {
      const server = startPrivatePostgres(port)
      const connection = { connectionString: server.url, ...(timeout !== undefined && { timeout }) }
      return {
        server: `PostgreSQL at 127.0.0.1:${port}`,
        adapters: {
          queue: await createPostgresQueue({ connection }),
          store: await createPostgresStore({ connection }),
          stream: await createPostgresStream({ connection }),
        },
        stop: async () => server.stop(),
        start: async () => server.start(),
        restart: async () => server.restart(),
        remove: async () => server.remove(),
      }
    },
  },
]
