// The Redis connection drops mid-run (the server restarts); every run completes after reconnect, each step once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../../adapters/redis'
import type { RunningApp } from '../../helpers/engine-app'
import { countEvents, startApp, waitForRunEnd } from '../../helpers/engine-app'
import type { PrivateRedis } from '../../helpers/private-redis'
import { privateRedisUnavailable, startPrivateRedis } from '../../helpers/private-redis'

const skip = privateRedisUnavailable()
const pause = () => new Promise(resolve => setTimeout(resolve, 40))

describe.skipIf(Boolean(skip))('redis: reconnect', () => {
  let server: PrivateRedis
  let app: RunningApp
  beforeAll(async () => {
    server = await startPrivateRedis(6391)
  })
  afterAll(async () => {
    await app?.close()
    await server?.remove()
  })

  it('completes runs that were in flight when the server restarted', { timeout: 60_000 }, async () => {
    const connection = { url: server.url }
    const adapters = {
      queue: await createRedisQueue({ connection, prefix: 'reconnect' }),
      store: await createRedisStore({ connection, prefix: 'reconnect' }),
      stream: await createRedisStream({ connection, prefix: 'reconnect' }),
    }
    app = await startApp({ name: 'redis', create: async () => adapters }, { flows: { chain: [
      { step: 'a', entry: true, emits: ['a'], run: async (_, ctx) => { await pause(); await ctx.flow.emit('a') } },
      { step: 'b', subscribes: ['a'], emits: ['b'], run: async (_, ctx) => { await pause(); await ctx.flow.emit('b') } },
      { step: 'c', subscribes: ['b'], run: async () => { await pause() } },
    ] } }, { adapters })
    const runIds = await Promise.all(Array.from({ length: 20 }, (_, i) => app.nvent.flow.start('chain', { i }).then(r => r.runId)))
    await new Promise(resolve => setTimeout(resolve, 150))
    // The restart lands mid-flight: some runs have not finished yet.
    expect((await app.nvent.flow.listRuns('chain', { status: 'completed' })).total).toBeLessThan(20)
    await server.stop()
    await new Promise(resolve => setTimeout(resolve, 700))
    await server.start()
    for (const runId of runIds) {
      const run = await waitForRunEnd(app.nvent, runId, 45_000)
      expect(run.status, runId).toBe('completed')
      const events = await app.nvent.flow.events(runId, { limit: 500 })
      for (const step of ['a', 'b', 'c'])
        expect(countEvents(events, 'step.completed', step), `${runId} ${step}`).toBe(1)
    }
  })
})
