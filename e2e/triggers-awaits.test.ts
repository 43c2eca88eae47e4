// The playground's triggers and awaits over HTTP (production build, file backend): manual, webhook and event
// triggers, webhook, time and event awaits, and awaits that outlive a restart of the server.
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogPage } from '../src/runtime/contracts/store'
import type { AwaitInfo } from '../src/runtime/types/await'
import type { RunEvent, RunPage, RunRecord } from '../src/runtime/types/run'
import type { TriggerFiring } from '../src/runtime/types/trigger'
import { signWebhook } from '../src/runtime/webhooks/signature'
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
const unixNow = () => Math.floor(Date.now() / 1000)
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

  it('a signed deploy-hook request starts deploy-flow once: a replay names its runs, an old signature gets 401', async () => {
    const before = await runCount('deploy-flow')
    const raw = JSON.stringify({ ref: 'release', commit: 'abc123' })
    const signature = signWebhook(SECRET, raw)
    const accepted = await postWebhook('deploy-hook', raw, signature)
    expect(accepted).toEqual({ status: 202, body: { trigger: 'deploy-hook', runIds: [expect.any(String)] } })
    for (let replay = 0; replay < 2; replay++)
      expect(await postWebhook('deploy-hook', raw, signature)).toEqual({ status: 200, body: { trigger: 'deploy-hook', runIds: accepted.body.runIds, duplicate: true } })
    const { run } = await runEnd(accepted.body.runIds[0])
    expect(run.steps.deploy?.output).toEqual({ deployed: 'release', commit: 'abc123' })
    const expired = await postWebhook('deploy-hook', raw, signWebhook(SECRET, raw, unixNow() - 400))
    expect(expired).toEqual({ status: 401, body: { error: expect.stringMatching(/^the signature's timestamp is 4\d\d s old, outside the 300 s accepted/) } })
    await sleep(300)
    expect(await runCount('deploy-flow')).toBe(before + 1)
  })

  it('a caller without the secret gets one 404 whatever the case; a signed one learns 409, 400 or 503; other methods get 405', async () => {
    const before = await runCount('deploy-flow')
    // A signed trigger whose secret this server lacks; the restart below must warn about it.
    expect(await post('/api/triggers', { name: 'unset-hook', type: 'webhook', flows: ['deploy-flow'], config: { secretEnv: 'NVENT_E2E_UNSET_SECRET' } })).toMatchObject({ config: { hasSecret: true } })
    const raw = JSON.stringify({ ref: 'main' })
    const cases: Array<[string, string, string | undefined]> = [
      ['unknown trigger', 'no-such-hook', signWebhook(SECRET, raw)],
      ['not a webhook trigger', 'manual.send-notification', signWebhook(SECRET, raw)],
      ['missing signature', 'deploy-hook', undefined],
      ['body-only signature', 'deploy-hook', `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`],
      ['wrong secret', 'deploy-hook', signWebhook('not-the-secret', raw)],
      ['expired, wrong secret', 'deploy-hook', signWebhook('not-the-secret', raw, unixNow() - 3600)],
      ['secret not set here, unsigned', 'unset-hook', undefined],
    ]
    const unsigned = async () => {
      for (const [what, trigger, signature] of cases)
        expect(await postWebhook(trigger, raw, signature), what).toEqual({ status: 404, body: { error: `no webhook trigger "${trigger}" accepts this request` } })
    }
    await unsigned()
    const malformed = '{"ref": '
    expect(await postWebhook('deploy-hook', malformed, signWebhook(SECRET, malformed))).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^body is not valid JSON/) } })
    expect(await postWebhook('unset-hook', raw, signWebhook(SECRET, raw))).toEqual({ status: 503, body: { error: 'webhook trigger "unset-hook" cannot check signatures on this server: its secret is not set here' } })
    const oversize = JSON.stringify({ blob: 'x'.repeat(1_100_000) })
    expect((await postWebhook('deploy-hook', oversize, signWebhook(SECRET, oversize))).status).toBe(413)
    await api(server, '/api/triggers/deploy-hook', { method: 'PATCH', body: { enabled: false } })
    try {
      await unsigned()
      expect(await postWebhook('deploy-hook', raw, signWebhook(SECRET, raw))).toEqual({ status: 409, body: { error: 'trigger "deploy-hook" is disabled' } })
    }
    finally {
      await api(server, '/api/triggers/deploy-hook', { method: 'PATCH', body: { enabled: true } })
    }
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await fetch(`${server.url}/api/_nvent/webhook/deploy-hook`, { method })
      expect([answer.status, answer.headers.get('allow'), await answer.json()], method).toEqual([405, 'POST', { error: `trigger webhooks answer POST, not ${method}` }])
    }
    await sleep(300)
    expect(await runCount('deploy-flow')).toBe(before)

    await server.stop()
    server = await startPlayground()
    const warning = 'webhook trigger "unset-hook" is signed with the secret in NVENT_E2E_UNSET_SECRET, which is not set on this server'
    await until(async () => server.output().includes(warning), 'the warning at start')
    expect(server.output().split(warning)).toHaveLength(2)
    await api(server, '/api/triggers/unset-hook', { method: 'DELETE' }).catch(() => {})
  })

  it('bad bodies, names and cursors get a 400 with the reason, from the webhook and the API routes alike', async () => {
    const before = await runCount('deploy-flow')
    const signed = (raw: string, trigger = 'deploy-hook') => postWebhook(trigger, raw, signWebhook(SECRET, raw))
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
    expect(await signed(deep)).toEqual({ status: 400, body: { error: expect.stringMatching(/ of the body is nested more than 64 levels deep/) } })
    expect(await signed('{"ref": "a\\u0000b"}')).toEqual({ status: 400, body: { error: '`ref` of the body contains a NUL character or an unpaired surrogate' } })
    for (const name of ['%00', '..%2F..%2F..%2Ftmp%2Fevil', 'x'.repeat(2000)]) {
      const answer = await signed('{}', name)
      expect(answer.status, name.slice(0, 20)).toBe(400)
      expect(answer.body.error).toMatch(/^a trigger name is 1 to 128 characters of letters, digits and \. _ : -, starting with a letter or digit/)
    }
    const send = (raw: string, method = 'POST') => ({ method, headers: { 'content-type': 'application/json' }, body: raw })
    const routes: Array<[string, string, ReturnType<typeof send>?]> = [
      ['deep event data', '/api/events/user.signed-up', send(deep)],
      ['NUL in a flow input', '/api/flows/deploy-flow/start', send('{"ref": "\\u0000"}')],
      ['deep manual firing', '/api/triggers/manual.send-notification/fire', send(deep)],
      ['bad trigger name', '/api/triggers', send(JSON.stringify({ name: '../../../tmp/evil', type: 'manual', flows: ['notification-flow'] }))],
      ['empty secret', '/api/triggers/deploy-hook', send(JSON.stringify({ config: { secret: '' } }), 'PATCH')],
      ['NUL in a trigger name', '/api/triggers/%00/fire', send('{}')],
      ['runs cursor', '/api/flows/deploy-flow/runs?cursor=garbage', undefined],
      ['history cursor', '/api/triggers/manual.send-notification/history?before=not-a-cursor', undefined],
    ]
    for (const [what, path, init] of routes) {
      const answer = await request(server, path, init)
      expect(answer.status, what).toBe(400)
      expect(answer.body.message, what).toMatch(/^nvent: /)
    }
    await sleep(300)
    expect(await runCount('deploy-flow')).toBe(before)

    // An await URL takes the same bodies: a refused one leaves the await open for a good one.
    const runId = await startFlow('webhook-approval-flow', { request: 'checked payloads' })
    const { url } = await openAwait(runId, 'process-approval')
    const refused = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"approved": true, "note": "\\ud800"}' })
    expect([refused.status, await refused.json()]).toEqual([400, { error: '`note` of the body contains a NUL character or an unpaired surrogate' }])
    expect(await postTo(url!, { approved: true })).toEqual({ status: 202, body: { runId, step: 'process-approval' } })
    expect((await runEnd(runId)).run.status).toBe('completed')
  })

  it('webhook-approval-flow: its await URL approves it; rejected or denied runs fail', async () => {
    const runId = await startFlow('webhook-approval-flow', { request: 'New laptop' })
    const open = await openAwait(runId, 'process-approval')
    expect(open).toMatchObject({ flowName: 'webhook-approval-flow', type: 'webhook', phase: 'before' })
    expect(new URL(open.url!).origin).toBe(server.url)
    expect(new URL(open.url!).pathname).toMatch(/^\/api\/_nvent\/await\/[\w-]{32}$/)
    // onAwaitRegister logs through ctx.logger into the run's events that approval was requested, never the URL.
    const { events } = await until(async () => { const current = await view(runId); return current.events.some(e => e.type === 'log' && (e.data as any).message === 'Approval requested') ? current : null }, 'the hook\'s log')
    expect(JSON.stringify(events)).not.toContain(open.url!.split('/').at(-1))
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
