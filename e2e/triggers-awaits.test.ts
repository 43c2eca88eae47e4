// The playground's triggers and awaits over HTTP (production build, file backend): manual, webhook and event
// triggers, webhook, time and event awaits, and awaits that outlive a restart of the server.
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogPage } from '../runtime/contracts/store'
import type { AwaitInfo } from '../runtime/types/await'
import type { RunEvent, RunPage, RunRecord } from '../runtime/types/run'
import type { TriggerFiring } from '../runtime/types/trigger'
import { sleep, waitFor } from '../test/helpers/wait'
import type { RunningServer } from './helpers/server'
import { api, buildAppOnce, freePort, repoRoot, request, startServer } from './helpers/server'

const playground = join(repoRoot, 'playground')
const cwd = mkdtempSync(join(tmpdir(), 'nvent-triggers-'))
const SECRET = 'test-secret'
let port = 0
let server: RunningServer

/** The server on the same port and cwd every time, so a restart keeps its data and the await URLs it handed out. */
function startPlayground(): Promise<RunningServer> {
  // Await URLs default to http://localhost:$PORT; the helper serves 127.0.0.1, so name that origin.
  return startServer(playground, { cwd, port, env: { NVENT_DEPLOY_SECRET: SECRET, NVENT_BASE_URL: `http://127.0.0.1:${port}` } })
}

beforeAll(async () => {
  buildAppOnce(playground)
  port = await freePort()
  server = await startPlayground()
}, 180_000)

afterAll(async () => {
  await server?.stop()
  rmSync(cwd, { recursive: true, force: true })
})

/** `waitFor`, polling the server at most every 50 ms. */
const until = <T>(check: () => Promise<T>, what: string, timeout = 20_000) =>
  waitFor(async () => (await check()) || (await sleep(50), null), what, timeout)
const view = (runId: string) => api<{ run: RunRecord, events: RunEvent[] }>(server, `/api/runs/${runId}`)
const runEnd = (runId: string, timeout?: number) =>
  until(async () => { const current = await view(runId); return current.run.status === 'running' ? null : current }, `run ${runId} to end`, timeout)
const startFlow = (flow: string, input: unknown) =>
  api<{ runId: string }>(server, `/api/flows/${flow}/start`, { method: 'POST', body: input }).then(answer => answer.runId)
const runCount = async (flow: string) => (await api<RunPage>(server, `/api/flows/${flow}/runs?limit=1`)).total
const post = (path: string, body: unknown) => api(server, path, { method: 'POST', body })
const openAwait = (runId: string, step: string) =>
  until(async () => (await api<AwaitInfo[]>(server, '/api/awaits')).find(open => open.runId === runId && open.step === step), `the await of ${step} in ${runId}`)
const sign = (raw: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`
const postWebhook = (trigger: string, raw: string, signature?: string) => request(server, `/api/_nvent/webhook/${trigger}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(signature && { 'x-nvent-signature': signature }) },
  body: raw,
})
/** POSTs JSON to an absolute URL, as whoever receives an await URL would. */
const postTo = async (url: string, body: unknown) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() }
}

describe('playground triggers and awaits over HTTP (production build, file backend)', () => {
  it('a manual firing starts notification-flow with its payload, and the history lists it', async () => {
    const payload = { to: 'ops@example.com', message: 'disk almost full' }
    const firing = await post('/api/triggers/manual.send-notification/fire', payload) as TriggerFiring
    expect(firing).toMatchObject({ name: 'manual.send-notification', type: 'manual', source: 'manual', data: payload })
    expect(firing.runIds).toHaveLength(1)
    const { run } = await runEnd(firing.runIds[0]!)
    expect(run).toMatchObject({ flowName: 'notification-flow', status: 'completed', input: { trigger: { data: payload } } })
    expect(run.steps['send-notification']?.output).toEqual({ sent: true, data: payload })
    const history = await api<LogPage<TriggerFiring>>(server, '/api/triggers/manual.send-notification/history?limit=5')
    expect(history.items[0]?.data).toMatchObject({ runIds: firing.runIds, data: payload, source: 'manual' })
    expect((await request(server, '/api/triggers/no-such-trigger/fire', { method: 'POST' })).status).toBe(404)
    expect((await request(server, '/api/triggers/manual.send-notification/history?limit=0')).status).toBe(400)
  })

  it('registers a trigger over HTTP, and refuses bad registrations with their status', async () => {
    const registration = { name: 'ops.page', type: 'manual', flows: ['notification-flow'] }
    expect(await post('/api/triggers', registration)).toMatchObject({ name: 'ops.page', source: 'runtime', subscribers: [{ flow: 'notification-flow', mode: 'auto' }] })
    const refused = await Promise.all([
      request(server, '/api/triggers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registration) }),
      request(server, '/api/triggers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bad', type: 'time', config: { cron: 'every day' } }) }),
      request(server, '/api/triggers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "manual"}' }),
      request(server, '/api/triggers/ops.page', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"enabled": "no"}' }),
    ])
    expect(refused.map(answer => answer.status)).toEqual([409, 400, 400, 400])
    const { runIds } = await post('/api/triggers/ops.page/fire', { page: 'on-call' }) as TriggerFiring
    expect((await runEnd(runIds[0]!)).run.steps['send-notification']?.output).toEqual({ sent: true, data: { page: 'on-call' } })
  })

  it('a signed deploy-hook request starts deploy-flow; each bad request gets its status and starts nothing', async () => {
    const raw = JSON.stringify({ ref: 'release', commit: 'abc123' })
    const accepted = await postWebhook('deploy-hook', raw, sign(raw))
    expect(accepted).toEqual({ status: 202, body: { trigger: 'deploy-hook', runIds: [expect.any(String)] } })
    const { run } = await runEnd(accepted.body.runIds[0])
    expect(run.steps.deploy?.output).toEqual({ deployed: 'release', commit: 'abc123' })

    const before = await runCount('deploy-flow')
    const malformed = '{"ref": '
    const oversize = JSON.stringify({ blob: 'x'.repeat(1_100_000) })
    const statuses: Record<string, number> = {}
    for (const [name, answer] of [
      ['malformed JSON', () => postWebhook('deploy-hook', malformed, sign(malformed))],
      ['wrong signature', () => postWebhook('deploy-hook', raw, sign(raw, 'not-the-secret'))],
      ['missing signature', () => postWebhook('deploy-hook', raw)],
      ['unknown trigger', () => postWebhook('no-such-hook', raw, sign(raw))],
      ['not a webhook trigger', () => postWebhook('manual.send-notification', raw, sign(raw))],
      ['oversize body', () => postWebhook('deploy-hook', oversize, sign(oversize))],
    ] as const) {
      const { status, body } = await answer()
      expect(body.error, name).toEqual(expect.any(String))
      statuses[name] = status
    }
    expect(await api(server, '/api/triggers/deploy-hook', { method: 'PATCH', body: { enabled: false } })).toMatchObject({ enabled: false })
    try {
      statuses.disabled = (await postWebhook('deploy-hook', raw, sign(raw))).status
    }
    finally {
      await api(server, '/api/triggers/deploy-hook', { method: 'PATCH', body: { enabled: true } })
    }
    expect(statuses).toEqual({
      'malformed JSON': 400,
      'wrong signature': 401,
      'missing signature': 401,
      'unknown trigger': 404,
      'not a webhook trigger': 404,
      'oversize body': 413,
      'disabled': 409,
    })
    await sleep(300)
    expect(await runCount('deploy-flow')).toBe(before)
  })

  it('webhook-approval-flow: its await URL approves it; rejected or denied runs fail', async () => {
    const runId = await startFlow('webhook-approval-flow', { request: 'New laptop' })
    const open = await openAwait(runId, 'process-approval')
    expect(open).toMatchObject({ flowName: 'webhook-approval-flow', type: 'webhook', phase: 'before' })
    expect(new URL(open.url!).origin).toBe(server.url)
    expect(new URL(open.url!).pathname).toMatch(/^\/api\/_nvent\/await\/[\w-]{32}$/)
    // onAwaitRegister logs the URL through ctx.logger into the run's events.
    await until(async () => (await view(runId)).events.some(e => e.type === 'log' && (e.data as any).meta?.url === open.url), 'the hook\'s log')
    expect((await request(server, '/api/_nvent/await/not-a-real-token', { method: 'POST', body: '{}' })).status).toBe(404)
    expect(await postTo(open.url!, { approved: true })).toEqual({ status: 202, body: { runId, step: 'process-approval' } })
    const approved = await runEnd(runId)
    expect(approved.run.status).toBe('completed')
    expect(approved.run.steps['process-approval']?.output).toEqual({ approved: true })

    const [rejected, denied] = await Promise.all([startFlow('webhook-approval-flow', {}), startFlow('webhook-approval-flow', {})])
    await Promise.all([openAwait(rejected, 'process-approval'), openAwait(denied, 'process-approval')])
    expect(await post(`/api/awaits/${rejected}/process-approval/reject`, { reason: 'over budget' })).toEqual({ rejected: true })
    expect(await post(`/api/awaits/${denied}/process-approval/resolve`, { approved: false, comment: 'too expensive' })).toEqual({ resolved: true })
    expect((await request(server, `/api/awaits/${rejected}/process-approval/reject`, { method: 'POST' })).status).toBe(409)
    const [rejectedRun, deniedRun] = await Promise.all([runEnd(rejected), runEnd(denied)])
    expect(rejectedRun.run).toMatchObject({ status: 'failed', error: expect.stringContaining('await rejected: over budget') })
    expect(deniedRun.run).toMatchObject({ status: 'failed', error: expect.stringContaining('Approval denied: too expensive') })
  })

  it('notification-confirmation-flow starts confirm-notification 5 s after send-notification completed', async () => {
    const runId = await startFlow('notification-confirmation-flow', { to: 'newcomer@example.com' })
    const { run } = await runEnd(runId, 30_000)
    expect(run.status).toBe('completed')
    const sent = run.steps['send-notification']!
    const confirm = run.steps['confirm-notification']!
    // The await after the step is registered the moment its handler completes.
    expect(sent.await).toMatchObject({ phase: 'after', type: 'time', outcome: 'resolved' })
    expect(confirm.startedAt! - sent.await!.registeredAt).toBeGreaterThanOrEqual(5000)
    expect(confirm.output).toEqual({ confirmed: runId })
  })

  it('user.signed-up starts welcome-flow, from the events route and from the signup flow\'s accepted branch', async () => {
    const delivery = await post('/api/events/user.signed-up', { email: 'ada@example.com' })
    expect(delivery).toEqual({ runIds: [expect.any(String)], resolved: [] })
    const welcomed = await runEnd(delivery.runIds[0])
    expect(welcomed.run).toMatchObject({ flowName: 'welcome-flow', status: 'completed', steps: { 'send-welcome': { output: { welcomed: 'ada@example.com' } } } })

    const signup = await runEnd(await startFlow('signup', { email: 'grace@example.com' }))
    expect(Object.keys(signup.run.steps).sort()).toEqual(['check-signup', 'welcome-user'])
    const started = await until(async () => (await api<RunPage>(server, '/api/flows/welcome-flow/runs?limit=20')).items
      .find(run => (run.trigger?.data as { email?: string } | undefined)?.email === 'grace@example.com'), 'the welcome run of the signup')
    expect(started.trigger).toMatchObject({ name: 'user.signed-up', source: 'event' })
    expect((await runEnd(started.id)).run.steps['send-welcome']?.output).toEqual({ welcomed: 'grace@example.com' })
  })

  it('payment.confirmed resolves only the payment-flow run of its orderId', async () => {
    const [a, b] = await Promise.all([startFlow('payment-flow', { orderId: 'A' }), startFlow('payment-flow', { orderId: 'B' })])
    await Promise.all([openAwait(a!, 'await-payment'), openAwait(b!, 'await-payment')])
    const delivery = await post('/api/events/payment.confirmed', { orderId: 'B', amount: 42 })
    expect(delivery).toEqual({ runIds: [], resolved: [{ runId: b, step: 'await-payment', phase: 'before' }] })
    expect((await runEnd(b!)).run.steps['await-payment']?.output).toEqual({ paid: { orderId: 'B', amount: 42 } })
    const waiting = (await view(a!)).run
    expect(waiting.status).toBe('running')
    expect(waiting.steps['await-payment']?.status).toBe('awaiting')
    await post('/api/events/payment.confirmed', { orderId: 'A' })
    expect((await runEnd(a!)).run.status).toBe('completed')
  })

  it('time and webhook awaits open when the server stops complete after it starts again', async () => {
    const notifying = await startFlow('notification-confirmation-flow', {})
    const approving = await startFlow('webhook-approval-flow', { request: 'survives a restart' })
    await until(async () => (await view(notifying)).run.steps['send-notification']?.status === 'awaiting', 'send-notification to await')
    const { url } = await openAwait(approving, 'process-approval')
    await server.stop()
    const stoppedAt = Date.now()
    server = await startPlayground()

    expect(await postTo(url!, { approved: true })).toEqual({ status: 202, body: { runId: approving, step: 'process-approval' } })
    expect((await runEnd(approving)).run.status).toBe('completed')
    const { run } = await runEnd(notifying, 30_000)
    expect(run.status).toBe('completed')
    const confirmedAt = run.steps['confirm-notification']!.startedAt!
    expect(confirmedAt - run.steps['send-notification']!.await!.registeredAt).toBeGreaterThanOrEqual(5000)
    // The restarted server ran it, from the timer the first one stored.
    expect(confirmedAt).toBeGreaterThan(stoppedAt)
  })
})
