// The read-only dashboard of a production build of the playground, in real Chromium: on the file backend,
// and on Redis with two instances (the dashboard on an API-only one, the runs executed by the other).
// Screenshots go to e2e/.tmp/screenshots (not committed).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverBackends } from './helpers/backends'
import { expectNoActionControls, expectRunFollowedLive, go, openDashboard, signIn } from './helpers/dashboard-page'
import { browserMissing, launchChromium } from './helpers/devtools-tab'
import { screenshot } from './helpers/screenshots'
import type { RunningServer } from './helpers/server'
import { api, buildAppOnce, repoRoot, request, startServer } from './helpers/server'

const playground = join(repoRoot, 'playground')
const TOKEN = 'e2e-dashboard-token-0123456789abcdef'
const missing = process.env.CI ? undefined : browserMissing()
const redis = serverBackends.find(backend => backend.name === 'redis')!
const redisSkip = await redis.skip()

/** Starts a production server of the playground's build in a directory of its own, with the dashboard token. */
function useServers() {
  const dirs: string[] = []
  const servers: RunningServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map(server => server.stop()))
    for (const dir of dirs)
      rmSync(dir, { recursive: true, force: true })
  })
  return async (env: Record<string, string> = {}) => {
    const cwd = mkdtempSync(join(tmpdir(), 'nvent-dashboard-'))
    dirs.push(cwd)
    const server = await startServer(playground, { cwd, env: { NUXT_NVENT_DASHBOARD_TOKEN: TOKEN, ...env } })
    servers.push(server)
    return server
  }
}

const startRun = (server: RunningServer, flow: string, input: unknown) =>
  api<{ runId: string }>(server, `/api/flows/${flow}/start`, { method: 'POST', body: input }).then(r => r.runId)

describe.skipIf(missing)(`the dashboard of a production build, file backend${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const start = useServers()
  let server: RunningServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    buildAppOnce(playground)
    server = await start()
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('without the token: the API and the live stream answer 401, the page shows the sign-in and refuses a wrong token', async () => {
    for (const path of ['runs', 'flows', 'live', 'session'])
      expect((await request(server, `/_nvent/api/${path}`)).status, path).toBe(401)
    expect((await request(server, '/_nvent/api/runs', { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401)

    page = await openDashboard(browser, server.url)
    await page.getByTestId('sign-in').waitFor()
    await expect.poll(() => page.getByRole('navigation', { name: 'Nvent views' }).count()).toBe(0)
    await screenshot(page, 'dashboard-sign-in')
    await signIn(page, 'not-the-token')
    await expect.poll(() => page.getByTestId('sign-in-error').count()).toBe(1)
    expect((await page.context().cookies()).map(cookie => cookie.name)).not.toContain('nvent_dashboard')
  })

  it('signed in: flows as graphs, and runs started over HTTP followed live on the list, the timeline and the logs', { timeout: 60_000 }, async () => {
    await signIn(page, TOKEN)
    await page.getByRole('navigation', { name: 'Nvent views' }).waitFor()
    const cookie = (await page.context().cookies()).find(candidate => candidate.name === 'nvent_dashboard')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/_nvent' })

    await go(page, '#/flows/order')
    await expect.poll(() => page.getByTestId('step-node').count(), { timeout: 15_000 }).toBe(4)
    await screenshot(page, 'dashboard-flows')
    await expectRunFollowedLive(page, () => startRun(server, 'order', { orderId: 'dash-1', total: 12 }), 4)
    await screenshot(page, 'dashboard-run')
    await go(page, '#/')
    await page.getByTestId('runs-chart').waitFor()
    await expect.poll(() => page.getByTestId('overview-flow').count()).toBeGreaterThan(0)
    await screenshot(page, 'dashboard-overview')
  })

  it('is read-only: no action control in any view; an await shows as waiting, never with its URL', { timeout: 60_000 }, async () => {
    const runId = await startRun(server, 'webhook-approval-flow', {})
    await go(page, `#/runs/${runId}`)
    await page.locator('[data-testid="timeline-step"][data-status="awaiting"]').waitFor({ timeout: 15_000 })
    await screenshot(page, 'dashboard-await')
    expect(await page.content()).not.toMatch(/\/await\/[\w-]{16,}/)
    await expectNoActionControls(page, 'run detail, awaiting')
    // Each view with what shows once it has read.
    const views = { '#/': 'runs-chart', '#/flows/order': 'step-node', '#/runs': 'run-row', '#/triggers': 'trigger-row', '#/queues': 'queue-row' }
    for (const [view, loaded] of Object.entries(views)) {
      await go(page, view)
      await page.getByTestId(loaded).first().waitFor()
      await expectNoActionControls(page, view)
    }
    await go(page, '#/triggers')
    await page.locator('[data-testid="trigger-row"]').first().click()
    await page.getByTestId('trigger-detail').waitFor()
    await expectNoActionControls(page, 'trigger detail')
    await go(page, '#/queues')
    await page.getByTestId('queue-row').first().click()
    await expectNoActionControls(page, 'queue jobs')
  })

  it('refuses every mutating method on every dashboard path, signed in or not, and changes nothing', async () => {
    const runs = async () => (await api<{ runs: unknown[] }[]>(server, '/api/flows')).reduce((sum, flow) => sum + flow.runs.length, 0)
    const before = await runs()
    const cookie = (await page.context().cookies()).find(candidate => candidate.name === 'nvent_dashboard')!
    const asset = await page.evaluate(() => (document.querySelector('script[type="module"]') as HTMLScriptElement).src.replace(location.origin, ''))
    const paths = ['/_nvent', '/_nvent/', '/_nvent/index.html', '/_nvent/icon.svg', asset, '/_nvent/api/session', '/_nvent/api/logout', '/_nvent/api/live', '/_nvent/api/runs', '/_nvent/api/startFlow', '/_nvent/api/cancelRun', '/_nvent/api/fireTrigger']
    for (const path of paths) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        for (const headers of [{} as Record<string, string>, { cookie: `nvent_dashboard=${cookie.value}`, authorization: `Bearer ${TOKEN}` }]) {
          const { status } = await request(server, path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ flowName: 'order', name: 'manual.send-notification' }) })
          expect([404, 405], `${method} ${path}`).toContain(status)
        }
      }
    }
    expect(await runs()).toBe(before)
  })

  it('follows the system into dark mode', async () => {
    const dark = await openDashboard(browser, server.url, 'dark')
    await signIn(dark, TOKEN)
    await go(dark, '#/flows/order')
    await dark.getByTestId('flow-graph').waitFor()
    expect(await dark.locator('html').getAttribute('class')).toContain('dark')
    await screenshot(dark, 'dashboard-flows-dark')
    await go(dark, '#/runs')
    await dark.getByTestId('runs-table').waitFor()
    await screenshot(dark, 'dashboard-runs-dark')
    // Signing out ends the session: the sign-in is back, and the cookie is gone.
    await dark.getByTestId('sign-out').click()
    await dark.getByTestId('sign-in').waitFor()
    expect((await dark.context().cookies()).map(cookie => cookie.name)).not.toContain('nvent_dashboard')
  })
})

const redisMissing = missing ?? redisSkip
describe.skipIf(Boolean(redisMissing))(`the dashboard on Redis, two instances${redisMissing ? ` (skipped: ${redisMissing})` : ''}`, () => {
  const prefix = 'e2edash'
  const start = useServers()
  let dashboard: RunningServer
  let worker: RunningServer
  let browser: Browser

  beforeAll(async () => {
    await redis.cleanup(prefix)
    buildAppOnce(playground, { NVENT_BACKEND: 'redis', NVENT_PREFIX: prefix })
    // The dashboard's instance executes nothing: whatever progresses, progresses on the other one.
    ;[dashboard, worker] = await Promise.all([start({ NVENT_WORKERS: '0' }), start()])
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await redis.cleanup(prefix)
  })

  it('shows runs started through the other instance, live, as they progress there', { timeout: 60_000 }, async () => {
    const page = await openDashboard(browser, dashboard.url)
    await signIn(page, TOKEN)
    await page.getByRole('navigation', { name: 'Nvent views' }).waitFor()
    const runId = await expectRunFollowedLive(page, () => startRun(worker, 'order', { orderId: 'dash-redis', total: 7 }), 4)
    await screenshot(page, 'dashboard-redis-run')
    // Executed by the worker instance: its own log has the run, the dashboard's has none of its steps.
    expect(worker.output()).toContain('dash-redis')
    expect(dashboard.output()).not.toContain('dash-redis')
    await go(page, '#/runs')
    await expect.poll(() => page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).getAttribute('data-status')).toBe('completed')
    await expectNoActionControls(page, 'runs on Redis')
  })
})
