// The backend restarts mid-flight (a private server on its own port): every run completes after the
// adapters reconnect, and each step completes exactly once.
import { afterEach, describe, expect, it } from 'vitest'
import type { RunningApp } from '../helpers/engine-app'
import { countEvents, startApp, waitForRunEnd } from '../helpers/engine-app'
import { privateBackends } from '../helpers/private-backend'

/** Each backend's private server, on a port of this file's. */
const PORTS = { redis: 6391, postgres: 5439 }

const pause = () => new Promise(resolve => setTimeout(resolve, 40))

for (const backend of privateBackends) {
  describe.skipIf(Boolean(backend.skip))(`${backend.name}: reconnect`, () => {
    let app: RunningApp | undefined
    let remove = async () => {}
    afterEach(async () => {
      await app?.close()
      await remove()
    })

    it('completes runs that were in flight when the server restarted', { timeout: 90_000 }, async () => {
      const server = await backend.start(PORTS[backend.name])
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
        expect(run.status, `${runId} ${run.error}`).toBe('completed')
        const events = await app.nvent.flow.events(runId, { limit: 500 })
        for (const step of ['a', 'b', 'c'])
          expect(countEvents(events, 'step.completed', step), `${runId} ${step}`).toBe(1)
      }
    })
  })
}
