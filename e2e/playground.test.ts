// The playground, built for production on its file backend, runs every flow to its expected end over HTTP.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunEvent, RunRecord } from '../src/runtime/types/run'
import { waitFor } from '../test/helpers/engine-app'
import type { RunningServer } from './helpers/server'
import { api, buildAppOnce, repoRoot, startServer } from './helpers/server'

const playground = join(repoRoot, 'playground')
const cwd = mkdtempSync(join(tmpdir(), 'nvent-playground-'))
let server: RunningServer

beforeAll(async () => {
  buildAppOnce(playground)
  server = await startServer(playground, { cwd })
}, 180_000)

afterAll(async () => {
  await server?.stop()
  rmSync(cwd, { recursive: true, force: true })
})

async function runToEnd(flow: string, input: unknown): Promise<{ run: RunRecord, events: RunEvent[] }> {
  const { runId } = await api<{ runId: string }>(server, `/api/flows/${flow}/start`, { method: 'POST', body: input })
  return waitFor(async () => {
    const result = await api<{ run: RunRecord, events: RunEvent[] }>(server, `/api/runs/${runId}`)
    return result.run.status === 'running' ? null : result
  }, `${flow} run ${runId} to end`, 20_000)
}

describe('playground over HTTP (production build, file backend)', () => {
  it('runs the order flow: fan-out, fan-in, state, and a nested receipt run', async () => {
    const { run, events } = await runToEnd('order', { orderId: 'o-1', total: 10 })
    expect(run.status).toBe('completed')
    expect(run.steps['ship-order']?.output).toEqual({ shipped: true, orderId: 'o-1' })
    expect(events.filter(e => e.type === 'step.started' && e.step === 'ship-order')).toHaveLength(1)
    const receipts = await api<{ name: string, runs: RunRecord[] }[]>(server, '/api/flows')
    const child = receipts.find(f => f.name === 'receipt')!.runs.find(r => r.parentRunId === run.id)
    expect(child).toBeDefined()
  })

  it('completes the signup flow on the branch taken', async () => {
    const { run } = await runToEnd('signup', { email: 'bot@spam.test' })
    expect(run.status).toBe('completed')
    expect(Object.keys(run.steps).sort()).toEqual(['check-signup', 'reject-signup'])
  })

  it('completes the import flow after two failed attempts', async () => {
    const { run, events } = await runToEnd('import', {})
    expect(run.status).toBe('completed')
    expect(events.filter(e => e.type === 'step.retry')).toHaveLength(2)
  })

  it('fails the reindex flow and never starts the step after the failing one', async () => {
    const { run } = await runToEnd('reindex', {})
    expect(run.status).toBe('failed')
    expect(run.error).toContain('search cluster is read-only')
    expect(run.steps['notify-admins']).toBeUndefined()
  })

  it('runs the plain send-email function', async () => {
    const { jobId } = await api<{ jobId: string }>(server, '/api/emails', { method: 'POST', body: { to: 'x@y.z' } })
    const job = await waitFor(async () => {
      const current = await api(server, `/api/emails/${jobId}`)
      return current.state === 'completed' ? current : null
    }, 'the email job to complete')
    expect(job.returnValue).toMatchObject({ sent: true, to: 'x@y.z' })
  })

  it('returns the first run to a start retried with the same Idempotency-Key', async () => {
    const start = (key: string) => fetch(`${server.url}/api/flows/signup/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ email: `${key}@example.com` }),
    }).then(response => response.json() as Promise<{ runId: string }>)
    const first = await start('signup-retry-1')
    expect((await start('signup-retry-1')).runId).toBe(first.runId)
    expect((await start('signup-retry-2')).runId).not.toBe(first.runId)
  })

  it('stops a second server on the same data dir at start, naming the dir and the process holding it', async () => {
    // The server may answer a first request before its engine fails to start; either way it must exit.
    const outcome = await startServer(playground, { cwd }).then(
      second => second.process.exitCode !== null
        ? `server exited with ${second.process.exitCode}:\n${second.output()}`
        : new Promise<string>(resolve => second.process.once('exit', code => resolve(`server exited with ${code}:\n${second.output()}`))),
      (error: Error) => error.message,
    )
    expect(outcome).toMatch(/server exited with 1:[\s\S]*could not start, so the server stops: nvent: the data dir \S+ is in use by process \d+/)
  })

  it('starts runs but executes none on an instance with NVENT_WORKERS=0', async () => {
    const apiOnlyDir = mkdtempSync(join(tmpdir(), 'nvent-api-only-'))
    const apiOnly = await startServer(playground, { cwd: apiOnlyDir, env: { NVENT_WORKERS: '0' } })
    try {
      const { runId } = await api<{ runId: string }>(apiOnly, '/api/flows/signup/start', { method: 'POST', body: {} })
      await new Promise(resolve => setTimeout(resolve, 500))
      const { run } = await api<{ run: RunRecord }>(apiOnly, `/api/runs/${runId}`)
      expect(run.status).toBe('running')
      expect(run.steps['check-signup']?.status).toBe('queued')
    }
    finally {
      await apiOnly.stop()
      rmSync(apiOnlyDir, { recursive: true, force: true })
    }
  })
})
