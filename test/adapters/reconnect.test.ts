// The backend restarts mid-flight (a private server on its own port): every run completes after the
// adapters reconnect, and each step completes exactly once.
import { afterEach, describe, expect, it } from 'vitest'
import { createPostgresQueue, createPostgresStore, createPostgresStream } from '../../adapters/postgres'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../adapters/redis'
import type { Adapters } from '../conformance/backend'
import type { RunningApp } from '../helpers/engine-app'
import { countEvents, startApp, waitForRunEnd } from '../helpers/engine-app'
import { privatePostgresUnavailable, startPrivatePostgres } from '../helpers/private-postgres'
import { privateRedisUnavailable, startPrivateRedis } from '../helpers/private-redis'

interface RestartableBackend {
  name: string
  skip: string | undefined
  /** Starts the private server; returns its adapters, a restart and a removal. */
  start(): Promise<{ adapters: Adapters, restart(): Promise<void>, remove(): Promise<void> }>
}

const backends: RestartableBackend[] = [
  {
    name: 'redis',
    skip: privateRedisUnavailable(),
    async start() {
      const server = await startPrivateRedis(6391)
      const connection = { url: server.url }
      const adapters = {
        queue: await createRedisQueue({ connection, prefix: 'reconnect' }),
        store: await createRedisStore({ connection, prefix: 'reconnect' }),
        stream: await createRedisStream({ connection, prefix: 'reconnect' }),
      }
      return {
        adapters,
        async restart() {
          await server.stop()
          await new Promise(resolve => setTimeout(resolve, 700))
          await server.start()
        },
        remove: () => server.remove(),
      }
    },
  },
  {
    name: 'postgres',
    skip: privatePostgresUnavailable(),
    async start() {
      const server = startPrivatePostgres(5439)
      const connection = { connectionString: server.url }
      const adapters = {
        queue: await createPostgresQueue({ connection }),
        store: await createPostgresStore({ connection }),
        stream: await createPostgresStream({ connection }),
      }
      return { adapters, restart: async () => server.restart(), remove: async () => server.remove() }
    },
  },
]

const pause = () => new Promise(resolve => setTimeout(resolve, 40))

for (const backend of backends) {
  describe.skipIf(Boolean(backend.skip))(`${backend.name}: reconnect`, () => {
    let app: RunningApp | undefined
    let remove = async () => {}
    afterEach(async () => {
      await app?.close()
      await remove()
    })

    it('completes runs that were in flight when the server restarted', { timeout: 90_000 }, async () => {
      const server = await backend.start()
      remove = server.remove
      app = await startApp({ name: backend.name, create: async () => server.adapters }, { flows: { chain: [
        { step: 'a', entry: true, emits: ['a'], run: async (_, ctx) => { await pause(); await ctx.flow.emit('a') } },
        { step: 'b', subscribes: ['a'], emits: ['b'], run: async (_, ctx) => { await pause(); await ctx.flow.emit('b') } },
        { step: 'c', subscribes: ['b'], run: async () => { await pause() } },
      ] } }, { adapters: server.adapters })
      const runIds = await Promise.all(Array.from({ length: 20 }, (_, i) => app!.nvent.flow.start('chain', { i }).then(r => r.runId)))
      await new Promise(resolve => setTimeout(resolve, 150))
      // The restart lands mid-flight: some runs have not finished yet.
      expect((await app.nvent.flow.listRuns('chain', { status: 'completed' })).total).toBeLessThan(20)
      await server.restart()
      for (const runId of runIds) {
        const run = await waitForRunEnd(app.nvent, runId, 60_000)
        expect(run.status, runId).toBe('completed')
        const events = await app.nvent.flow.events(runId, { limit: 500 })
        for (const step of ['a', 'b', 'c'])
          expect(countEvents(events, 'step.completed', step), `${runId} ${step}`).toBe(1)
      }
    })
  })
}
