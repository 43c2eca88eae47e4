// The backend is down (a private server on its own port, stopped): calls fail within the connection's
// `timeout` with an error naming the server, the outage is logged once however many calls fail and its
// end once, nothing a failed call asked for happens later, and work goes on once the server is back.
import { type ConsolaReporter, consola, LogLevels } from 'consola'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningApp } from '../helpers/engine-app'
import { startApp, waitForRunEnd } from '../helpers/engine-app'
import type { PrivateServer } from '../helpers/private-backend'
import { privateBackends } from '../helpers/private-backend'
import { sleep, waitFor } from '../helpers/wait'

/** The `timeout` of the connections under test, in ms. */
const TIMEOUT = 1000
/** Generous for a slow, shared machine, and still far below how long a call waited before (forever on Redis, 30 s on PostgreSQL). */
const SLACK = 6000

/** Each backend's private server, on a port of this file's. */
const PORTS = { redis: 6393, postgres: 5441 }

/** The nvent log lines written while the test runs, info included. */
function captureLogs() {
  const lines: { type: string, text: string }[] = []
  const reporter: ConsolaReporter = { log: entry => entry.tag === 'nvent' && lines.push({ type: entry.type, text: entry.args.join(' ') }) }
  const level = consola.level
  consola.addReporter(reporter)
  consola.level = LogLevels.info
  return {
    /** Lines of `type` that start with `text`. */
    count: (type: string, text: string) => lines.filter(line => line.type === type && line.text.startsWith(text)).length,
    stop() {
      consola.removeReporter(reporter)
      consola.level = level
    },
  }
}

/** `call` must fail, with a message naming `server`, within the timeout (and the slack). */
async function expectBoundedFailure(what: string, server: string, call: () => Promise<unknown>) {
  const started = Date.now()
  const outcome = await Promise.race([
    call().then(() => 'answered', (error: Error) => error.message),
    sleep(TIMEOUT + SLACK).then(() => `still waiting after ${TIMEOUT + SLACK} ms`),
  ])
  expect(outcome, what).toContain(server.replace(/^\w+ at /, ''))
  expect(Date.now() - started, what).toBeLessThan(TIMEOUT + SLACK)
}

/** Waits until `call` succeeds again, as it does once the server is back. */
function recovered<T>(call: () => Promise<T>): Promise<{ value: T }> {
  return waitFor(() => call().then(value => ({ value }), () => null), 'the server to answer again', 60_000)
}

for (const backend of privateBackends) {
  describe.skipIf(Boolean(backend.skip))(`${backend.name}: outage`, () => {
    let server: PrivateServer | undefined
    let app: RunningApp | undefined
    let logs: ReturnType<typeof captureLogs>
    beforeEach(() => {
      logs = captureLogs()
    })
    afterEach(async () => {
      logs.stop()
      await server?.start().catch(() => {})
      await (app ? app.close() : Promise.all(Object.values(server?.adapters ?? {}).map(adapter => adapter.close())))
      await server?.remove()
      app = server = undefined
    })

    it('fails store, queue and stream calls within the timeout, logs the outage once, and replays none of them', { timeout: 120_000 }, async () => {
      server = await backend.start(PORTS[backend.name], TIMEOUT)
      const { queue, store, stream } = server.adapters
      const jobId = await queue.enqueue('known', { name: 'n', data: 1 })
      const received: unknown[] = []
      await stream.subscribe('live', (message) => { received.push(message) })
      await server.stop()
      const failing: [string, () => Promise<unknown>][] = [
        ['store.getRun', () => store.getRun('r')],
        ['store.kvSet', () => store.kvSet('during-outage', 1)],
        ['store.kvGet', () => store.kvGet('k')],
        ['queue.enqueue', () => queue.enqueue('known', { name: 'n', data: 2, opts: { jobId: 'during-outage' } })],
        ['queue.enqueue on a queue not used before', () => queue.enqueue('fresh', { name: 'n', data: 3 })],
        ['queue.getJob', () => queue.getJob('known', jobId)],
        ['queue.getJobs', () => queue.getJobs('known')],
        ['queue.counts', () => queue.counts('known')],
        ['queue.pause', () => queue.pause('known')],
        ['queue.isPaused', () => queue.isPaused('known')],
        ['stream.publish', () => stream.publish('t', 1)],
      ]
      await Promise.all(failing.map(([what, call]) => expectBoundedFailure(what, server!.server, call)))
      expect(logs.count('warn', `${server.server} is unreachable`)).toBe(1)

      await server.start()
      await recovered(() => store.kvGet('probe'))
      await waitFor(() => logs.count('info', `${server!.server} is reachable again`) > 0, 'the recovery to be logged', 30_000)
      // What the failed calls asked for never happens: the commands were not sent after their callers heard.
      expect(await store.kvGet('during-outage')).toBeUndefined()
      expect(await queue.getJob('known', 'during-outage')).toBeNull()
      expect(await queue.isPaused('known')).toBe(false)
      // The queue made during the outage works now, and the subscription made before it delivers again.
      expect(await queue.getJob('fresh', await queue.enqueue('fresh', { name: 'n', data: 4 }))).not.toBeNull()
      await waitFor(async () => {
        await stream.publish('live', 'back')
        return received.includes('back')
      }, 'the subscription to deliver again', 30_000)
      expect(logs.count('warn', `${server.server} is unreachable`)).toBe(1)
      expect(logs.count('info', `${server.server} is reachable again`)).toBe(1)
    })

    it('fails flow.start and flow.getRun within the timeout, and runs complete once the server is back', { timeout: 180_000 }, async () => {
      server = await backend.start(PORTS[backend.name], TIMEOUT)
      app = await startApp({ name: backend.name, create: async () => server!.adapters }, { flows: { hop: [
        { step: 'a', entry: true, emits: ['a'], run: async (_, ctx) => { await ctx.flow.emit('a') } },
        { step: 'b', subscribes: ['a'], run: async () => 'done' },
      ] } }, { adapters: server.adapters })
      const { nvent } = app
      const before = await nvent.flow.start('hop', {})
      expect((await waitForRunEnd(nvent, before.runId, 30_000)).status).toBe('completed')

      await server.stop()
      // Several at once, and again after a while with the workers polling in between: one warning for all.
      for (let round = 0; round < 2; round++) {
        await Promise.all([
          ...[1, 2, 3].map(() => expectBoundedFailure('flow.start', server!.server, () => nvent.flow.start('hop', {}))),
          ...[1, 2, 3].map(() => expectBoundedFailure('flow.getRun', server!.server, () => nvent.flow.getRun(before.runId))),
        ])
      }
      expect(logs.count('warn', `${server.server} is unreachable`)).toBe(1)

      await server.start()
      await recovered(() => nvent.flow.getRun(before.runId))
      const runIds = await Promise.all([1, 2, 3].map(async () => (await nvent.flow.start('hop', {})).runId))
      for (const runId of runIds)
        expect((await waitForRunEnd(nvent, runId, 60_000)).status, runId).toBe('completed')
      await waitFor(() => logs.count('info', `${server!.server} is reachable again`) > 0, 'the recovery to be logged', 30_000)
      expect(logs.count('warn', `${server.server} is unreachable`)).toBe(1)
      expect(logs.count('info', `${server.server} is reachable again`)).toBe(1)
    })
  })
}
