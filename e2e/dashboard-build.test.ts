// What the dashboard puts in a production build: nothing when disabled (the default), its routes and the
// client's assets when enabled. Real `nuxi build`s of a minimal app.
import { readFileSync } from 'node:fs'
import { join } from 'pathe'
import { beforeAll, describe, expect, it } from 'vitest'
import { clientAssetNames, filesUnder, writeMinimalApp } from './helpers/minimal-app'
import { buildApp, repoRoot } from './helpers/server'

const appsDir = join(repoRoot, 'e2e/.tmp/dashboard-build')

describe('a production build and the dashboard', () => {
  const on = join(appsDir, 'on')
  const off = join(appsDir, 'off')

  beforeAll(() => {
    // The enabled build first: it builds the client if needed, whose file names the other is checked for.
    buildApp(writeMinimalApp(on, 'dashboard-on'))
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
})
