// Several production servers of the playground on one backend: runs started anywhere complete once,
// cancel reaches the instance running the step, an API-only instance executes nothing itself, a schedule
// ticks once per tick, and an await registered on one instance resolves through another.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunEvent, RunRecord } from '../src/runtime/types/run'
import { countEvents, waitFor } from '../test/helpers/engine-app'
import { serverBackends } from './helpers/backends'
import type { RunningServer } from './helpers/server'
import { api, buildApp, repoRoot, startServer } from './helpers/server'
import { sleep } from '../test/helpers/wait'

const playground = join(repoRoot, 'playground')
/** The build's `queue.worker.crashRecovery`: how soon a killed instance's running jobs run elsewhere. */
const CRASH_RECOVERY = 4_000
type RunView = { run: RunRecord, events: RunEvent[] }

for (const backend of serverBackends.filter(b => !process.env.NVENT_E2E_BACKEND || b.name === process.env.NVENT_E2E_BACKEND)) {
  const skip = await backend.skip()
  describe.skipIf(Boolean(skip))(`${backend.name}: playground on three instances`, () => {
    const prefix = `e2e${Date.now()}`
    const dirs: string[] = []
    let workerA: RunningServer
    let workerB: RunningServer
    let apiOnly: RunningServer

    beforeAll(async () => {
      buildApp(playground, { NVENT_BACKEND: backend.name, NVENT_PREFIX: prefix, NVENT_CRASH_RECOVERY: String(CRASH_RECOVERY) })
      const start = (env: Record<string, string> = {}) => {
        const cwd = mkdtempSync(join(tmpdir(), 'nvent-instance-'))
        dirs.push(cwd)
        return startServer(playground, { cwd, env })
      }
      ;[workerA, workerB, apiOnly] = await Promise.all([start(), start(), start({ NVENT_WORKERS: '0' })])
    }, 180_000)

    afterAll(async () => {
      await Promise.all([workerA, workerB, apiOnly].map(server => server?.stop()))
      for (const dir of dirs)
        rmSync(dir, { recursive: true, force: true })
      await backend.cleanup(prefix)
    })

    const startRun = (server: RunningServer, flow: string, input: unknown) =>
      api<{ runId: string }>(server, `/api/flows/${flow}/start`, { method: 'POST', body: input }).then(r => r.runId)
    const view = (server: RunningServer, runId: string) => api<RunView>(server, `/api/runs/${runId}`)
    /** Waits until every run has ended, read through `server`; returns each run's view. */
    async function endedViews(server: RunningServer, runIds: string[], what: string, timeout: number): Promise<RunView[]> {
      const views = new Map<string, RunView>()
      await waitFor(async () => {
        for (const runId of runIds.filter(id => !views.has(id))) {
          const current = await view(server, runId)
          if (current.run.status !== 'running')
            views.set(runId, current)
        }
        return views.size === runIds.length
      }, what, timeout)
      return [...views.values()]
    }

    it('completes 200 runs started across instances, each step activation exactly once', { timeout: 120_000 }, async () => {
      const servers = [workerA, workerB, apiOnly]
      const runIds: string[] = []
      for (let batch = 0; batch < 10; batch++) {
        runIds.push(...await Promise.all(Array.from({ length: 20 }, (_, i) => {
          const n = batch * 20 + i
          return startRun(servers[n % 3]!, n % 2 ? 'order' : 'signup', n % 2 ? { orderId: `o${n}`, total: n } : { email: `u${n}@example.com` })
        })))
      }
      const views = await endedViews(workerA, runIds, 'all 200 runs to end', 90_000)
      for (const { run, events } of views) {
        expect(run.status, run.id).toBe('completed')
        for (const step of Object.keys(run.steps)) {
          expect(countEvents(events, 'step.started', step), `${run.id} ${step} started`).toBe(1)
          expect(countEvents(events, 'step.completed', step), `${run.id} ${step} completed`).toBe(1)
        }
      }
      const shipped = views.filter(v => v.run.flowName === 'order' && v.run.steps['ship-order']?.status === 'completed')
      expect(shipped).toHaveLength(100)
    })

    it('cancels, from the API-only instance, a run started on another and running on a worker', { timeout: 60_000 }, async () => {
      const runId = await startRun(workerA, 'report', { pages: 40 })
      await waitFor(async () => countEvents((await view(apiOnly, runId)).events, 'log') >= 2, 'the report to render pages')
      expect(await api(apiOnly, `/api/runs/${runId}/cancel`, { method: 'POST' })).toEqual({ canceled: true })
      const canceled = await waitFor(async () => {
        const current = await view(apiOnly, runId)
        return current.events.some(e => e.type === 'log' && (e.data as any).message === 'Report canceled') ? current : null
      }, 'the running handler to see the cancel')
      expect(canceled.run.status).toBe('canceled')
      expect(countEvents(canceled.events, 'step.completed')).toBe(0)
      expect(countEvents(canceled.events, 'flow.cancel')).toBe(1)
    })

    it('fires a one-second schedule exactly once per tick across the instances', { timeout: 60_000 }, async () => {
      const runsOf = async () => (await api<{ items: RunRecord[] }>(apiOnly, '/api/flows/notification-flow/runs?limit=500')).items
        .filter(run => run.trigger?.name === 'e2e-pulse')
      await api(apiOnly, '/api/triggers', { method: 'POST', body: { name: 'e2e-pulse', type: 'time', flows: ['notification-flow'], config: { cron: '* * * * * *' } } })
      await waitFor(async () => (await runsOf()).length >= 6, 'six ticks', 30_000)
      await api(apiOnly, '/api/triggers/e2e-pulse', { method: 'PATCH', body: { enabled: false } })
      await sleep(2000)
      const ticks = (await runsOf()).map(run => (run.trigger!.data as { scheduledAt: number }).scheduledAt).sort((a, b) => a - b)
      expect(new Set(ticks).size).toBe(ticks.length)
      expect((ticks.at(-1)! - ticks[0]!) / 1000 + 1).toBe(ticks.length)
      const history = await api<{ items: unknown[] }>(apiOnly, '/api/triggers/e2e-pulse/history?limit=500')
      expect(history.items).toHaveLength(ticks.length)
    })

    it('resolves, through the API-only instance, a webhook await a worker registered', { timeout: 60_000 }, async () => {
      const runId = await startRun(workerA, 'webhook-approval-flow', { request: 'e2e' })
      const open = await waitFor(async () => (await api<{ runId: string, url: string }[]>(apiOnly, '/api/awaits')).find(a => a.runId === runId), 'the approval await')
      // The run shows the await as soon as it commits; its URL answers once the worker has stored the token
      // just after, so a 404 in between means "not yet".
      const response = await waitFor(async () => {
        const answer = await fetch(apiOnly.url + new URL(open.url).pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ approved: true }) })
        return answer.status === 404 ? null : answer
      }, 'the await URL to answer')
      expect(response.status).toBe(202)
      const done = await waitFor(async () => {
        const current = await view(workerB, runId)
        return current.run.status === 'running' ? null : current
      }, 'the approved run to end')
      expect(done.run.status).toBe('completed')
      expect(done.run.steps['process-approval']?.await?.payload).toEqual({ approved: true })
    })

    // Last: it kills workerA.
    it('loses no acknowledged run when a worker instance is killed mid-load, and completes no step twice', { timeout: 180_000 }, async () => {
      const acknowledged: string[] = []
      const start = (server: RunningServer, n: number) => startRun(server, 'order', { orderId: `kill-${n}`, total: n })
        .then(runId => acknowledged.push(runId), () => {}) // refused or cut off by the kill: never acknowledged
      const load = Promise.all([workerA, workerB].map(async (server, s) => {
        for (let batch = 0; batch < 10; batch++)
          await Promise.all(Array.from({ length: 10 }, (_, i) => start(server, s * 100 + batch * 10 + i)))
      }))
      await sleep(2_000)
      workerA.process.kill('SIGKILL')
      await load
      expect(acknowledged.length).toBeGreaterThan(100)
      const views = await endedViews(workerB, acknowledged, `all ${acknowledged.length} acknowledged runs to end after the kill`, 120_000)
      for (const { run, events } of views) {
        expect(run.status, run.id).toBe('completed')
        for (const step of Object.keys(run.steps))
          expect(countEvents(events, 'step.completed', step), `${run.id} ${step} completed`).toBe(1)
      }
      // The kill landed mid-step: some step was started on workerA and run again by workerB.
      expect(views.some(({ events }) => countEvents(events, 'step.started') > countEvents(events, 'step.completed'))).toBe(true)
    })
  })
}
