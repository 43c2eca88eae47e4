/** The dashboard's page and API handlers, served for real over a running engine: the door, the session, read-only. */
import { defineEventHandler } from 'h3'
import { describe, expect, it } from 'vitest'
import { feedOf } from '../../src/runtime/monitor/live-feed'
import { createDashboardApi } from '../../src/runtime/server/dashboard/api-handler'
import { createDashboardPage } from '../../src/runtime/server/dashboard/page-handler'
import type { DashboardAuth } from '../../src/runtime/types/dashboard'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useServedHandlers } from '../helpers/serve-h3'
import { readSse } from '../helpers/sse'
import type { MonitorApp } from '../monitor/monitor-app'
import { useMonitorApp } from '../monitor/monitor-app'

const ROUTE = '/_nvent'
const TOKEN = 'a-dashboard-token-of-some-length'
const page = { html: '<!doctype html><html><head><meta name="nvent-dashboard" content="./api"></head><body></body></html>', icon: '<svg/>' }
type Decide = (auth: DashboardAuth) => void

describe('the dashboard over HTTP', () => {
  const start = useMonitorApp()
  const serveHandler = useServedHandlers()

  /** Serves the page and the API as the module mounts them, with `token` configured and `decide` as the app's hook. */
  async function serve(app: MonitorApp, options: { token?: string, decide?: Decide } = {}) {
    const door = { token: () => options.token ?? TOKEN, path: () => ROUTE, decide: async (_: unknown, auth: DashboardAuth) => options.decide?.(auth) }
    const api = createDashboardApi({ ...door, route: ROUTE, reads: () => app.nvent.monitor, feed: () => feedOf(app.nvent.monitor) })
    const pageHandler = createDashboardPage({ ...door, route: ROUTE, page })
    const server = await serveHandler(defineEventHandler(event => event.path.startsWith(`${ROUTE}/api`) ? api(event) : pageHandler(event)))
    const send = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server.origin}${path}`, { redirect: 'manual', ...init })
      const text = await response.text()
      return { status: response.status, headers: response.headers, text, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text }
    }
    return { origin: server.origin, send }
  }
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

  it('answers the API with the token only: as a bearer, or as the cookie a sign-in sets', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('order', { sku: 'd' })
    await waitForRunEnd(app.nvent, runId)
    const { send } = await serve(app)

    expect(await send(`${ROUTE}/api/runs`)).toMatchObject({ status: 401, body: { error: expect.stringContaining('sign in') } })
    expect(await send(`${ROUTE}/api/runs`, bearer('wrong'))).toMatchObject({ status: 401, body: { error: expect.stringContaining('not valid') } })
    expect(await send(`${ROUTE}/api/session`, bearer(TOKEN.slice(0, -1)))).toMatchObject({ status: 401 })
    expect((await send(`${ROUTE}/api/runs`, bearer(TOKEN))).body).toMatchObject({ total: 1, items: [{ id: runId }] })
    expect((await send(`${ROUTE}/api/runs`, bearer(TOKEN))).headers.get('cache-control')).toBe('no-store')

    const signIn = await send(`${ROUTE}/api/session`, bearer(TOKEN))
    expect(signIn.body).toEqual({ signedIn: true })
    const cookie = signIn.headers.get('set-cookie')!
    expect(cookie).toMatch(/^nvent_dashboard=[\w-]{43}; Max-Age=\d+; Path=\/_nvent; HttpOnly; SameSite=Strict$/)
    // The cookie is derived from the token, never the token itself.
    expect(cookie).not.toContain(TOKEN)
    const withCookie = { headers: { cookie: cookie.split(';')[0]! } }
    expect(await send(`${ROUTE}/api/session`, withCookie)).toMatchObject({ status: 200, body: { signedIn: true } })
    expect((await send(`${ROUTE}/api/run?runId=${runId}`, withCookie)).body.run.id).toBe(runId)
    expect(await send(`${ROUTE}/api/runs`, { headers: { cookie: `${cookie.split(';')[0]!.slice(0, -2)}xx` } })).toMatchObject({ status: 401 })
    // Behind HTTPS the cookie is Secure.
    expect((await send(`${ROUTE}/api/session`, { headers: { 'authorization': `Bearer ${TOKEN}`, 'x-forwarded-proto': 'https' } })).headers.get('set-cookie')).toMatch(/; Secure/)

    const logout = await send(`${ROUTE}/api/logout`, withCookie)
    expect(logout.headers.get('set-cookie')).toMatch(/^nvent_dashboard=; Max-Age=0; Path=\/_nvent/)
  })

  it('streams live events to a signed-in browser only', async () => {
    const app = await start()
    const { origin, send } = await serve(app)
    expect(await send(`${ROUTE}/api/live`)).toMatchObject({ status: 401 })
    const cookie = (await send(`${ROUTE}/api/session`, bearer(TOKEN))).headers.get('set-cookie')!.split(';')[0]!
    const live = await readSse(`${origin}${ROUTE}/api/live`, { cookie })
    const { runId } = await app.nvent.flow.start('order', { sku: 'live' })
    await waitFor(() => live.events.some(event => event.event === 'run.event' && JSON.parse(event.data).event.runId === runId), 'the run on the stream')
    live.close()
  })

  it('refuses every request when no token is set and no hook decides, and says why', async () => {
    const app = await start()
    const { send } = await serve(app, { token: '' })
    for (const path of [`${ROUTE}/`, `${ROUTE}/api/runs`, `${ROUTE}/api/session`, `${ROUTE}/api/live`])
      expect(await send(path, bearer(''))).toMatchObject({ status: 503, text: expect.stringContaining('NUXT_NVENT_DASHBOARD_TOKEN') })
  })

  it('lets the app decide in its hook: in without the token, or out with it', async () => {
    const app = await start()
    const open = await serve(app, { token: '', decide: (auth) => { auth.allow = true } })
    expect(await open.send(`${ROUTE}/api/overview`)).toMatchObject({ status: 200, body: { totals: {} } })
    // Let in by the hook, not by the token: no cookie to set.
    expect((await open.send(`${ROUTE}/api/session`)).headers.get('set-cookie')).toBeNull()

    const closed = await serve(app, { decide: (auth) => { auth.allow = false } })
    expect(await closed.send(`${ROUTE}/api/overview`, bearer(TOKEN))).toMatchObject({ status: 401, body: { error: expect.stringContaining('nvent:dashboard:auth') } })
  })

  it('serves the page as a folder, marked as the dashboard, with strict headers, and nothing else', async () => {
    const app = await start()
    const { send } = await serve(app)
    expect(await send(ROUTE)).toMatchObject({ status: 308 })
    expect((await send(`${ROUTE}?x=1`)).headers.get('location')).toBe('_nvent/?x=1')
    const served = await send(`${ROUTE}/`)
    expect(served).toMatchObject({ status: 200, text: page.html })
    expect(served.headers.get('content-security-policy')).toContain('frame-ancestors \'none\'')
    expect(served.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await send(`${ROUTE}/icon.svg`)).toMatchObject({ status: 200, text: page.icon })
    expect(await send(`${ROUTE}/secrets.json`)).toMatchObject({ status: 404 })
  })

  it('has no mutating route: POST, PUT, PATCH and DELETE answer 405 everywhere and change nothing', async () => {
    const app = await start()
    const { send } = await serve(app)
    const paths = [ROUTE, `${ROUTE}/`, `${ROUTE}/icon.svg`, `${ROUTE}/assets/index.js`, `${ROUTE}/api/session`, `${ROUTE}/api/logout`, `${ROUTE}/api/live`, `${ROUTE}/api/runs`, `${ROUTE}/api/startFlow`, `${ROUTE}/api/cancelRun`]
    for (const path of paths) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const answer = await send(path, { method, headers: { 'authorization': `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ flowName: 'order', input: {} }) })
        expect([answer.status, answer.headers.get('set-cookie')], `${method} ${path}`).toEqual([405, null])
      }
    }
    expect((await app.nvent.monitor.runs()).total).toBe(0)
  })
})
