// What the dashboard puts in a production build: nothing when disabled (the default), its routes and the
// client's assets when enabled, and a door an app's own Nitro plugin can keep. Real `nuxi build`s of a
// minimal app.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'pathe'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { clientAssetNames, filesUnder, writeMinimalApp } from './helpers/minimal-app'
import type { RunningServer } from './helpers/server'
import { buildApp, repoRoot, request, startServer } from './helpers/server'

const appsDir = join(repoRoot, 'e2e/.tmp/dashboard-build')

describe('a production build and the dashboard', () => {
  const on = join(appsDir, 'on')
  const off = join(appsDir, 'off')

  beforeAll(() => {
    // The enabled build first: it builds the client if needed, whose file names the other is checked for.
    writeMinimalApp(on, 'dashboard-on')
    // The app's own rule: a request with `x-ops: yes` is let in, `x-ops: no` kept out; others left to the token.
    mkdirSync(join(on, 'server/plugins'))
    writeFileSync(join(on, 'server/plugins/ops.ts'), `export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('nvent:dashboard:auth', (event, auth) => {
    const ops = getHeader(event, 'x-ops')
    if (ops) auth.allow = ops === 'yes'
  })
})
`)
    buildApp(on)
    buildApp(writeMinimalApp(off, 'dashboard-off'))
  }, 240_000)

  /** The server's code, every chunk of it as one text. */
  const serverCode = (app: string) => filesUnder(join(app, '.output/server'))
    .filter(file => file.path.endsWith('.mjs') && !file.path.startsWith('node_modules/'))
    .map(file => readFileSync(join(app, '.output/server', file.path), 'utf8'))
    .join('\n')
  const names = (app: string) => filesUnder(join(app, '.output')).map(file => file.path.split('/').pop()!)

  it('disabled: no dashboard route, page or client asset anywhere in .output', () => {
    const code = serverCode(off)
    expect(code).toContain('/api/_nvent/webhook/:trigger')
    expect(code).not.toContain('/_nvent/api/**')
    expect(code).not.toContain('nvent-dashboard')
    const shipped = new Set(names(off))
    expect(clientAssetNames().filter(name => shipped.has(name))).toEqual([])
  })

  it('enabled: its routes, its page, and every client asset under the route', () => {
    const code = serverCode(on)
    expect(code).toContain('/_nvent/api/**')
    expect(code).toContain('nvent-dashboard')
    const assets = filesUnder(join(on, '.output/public/_nvent/assets')).map(file => file.path)
    expect(assets.sort()).toEqual(clientAssetNames().sort())
  })

  describe('started', () => {
    let server: RunningServer | undefined
    afterEach(async () => {
      await server?.stop()
    })
    const get = (path: string, headers: Record<string, string> = {}) => request(server!, path, { headers }).then(answer => answer.status)

    it('without a token: says why at start and serves nobody the app\'s hook does not let in', async () => {
      server = await startServer(on, { cwd: on })
      expect(server.output()).toContain('the dashboard has no token, so it serves nobody: set NUXT_NVENT_DASHBOARD_TOKEN')
      expect(await get('/_nvent/')).toBe(503)
      expect(await get('/_nvent/api/overview')).toBe(503)
      expect(await get('/_nvent/api/overview', { 'x-ops': 'yes' })).toBe(200)
    })

    it('with a token: the token lets in, unless the app\'s hook says otherwise', async () => {
      server = await startServer(on, { cwd: on, env: { NUXT_NVENT_DASHBOARD_TOKEN: 'build-test-token' } })
      expect(server.output()).not.toContain('the dashboard has no token')
      const bearer = { authorization: 'Bearer build-test-token' }
      expect(await get('/_nvent/api/overview')).toBe(401)
      expect(await get('/_nvent/api/overview', bearer)).toBe(200)
      expect(await get('/_nvent/api/overview', { ...bearer, 'x-ops': 'no' })).toBe(401)
    })
  })
})
