/**
 * What nvent adds to a production build: a minimal app (one page, one two-step flow, memory backends)
 * built without nvent, with nvent and the dashboard off (the default), and with it on. The dashboard off
 * must add no UI byte: none of the client's files, no page.
 */
import { join } from 'node:path'
import { buildApp, repoRoot } from '../e2e/helpers/server'
import type { MinimalAppVariant } from '../e2e/helpers/minimal-app'
import { clientAssetNames, filesUnder, writeMinimalApp } from '../e2e/helpers/minimal-app'
import type { Table } from './util'
import { fmt, verdict } from './util'

const VARIANTS: MinimalAppVariant[] = ['without-nvent', 'dashboard-on', 'dashboard-off']

export async function measureOutputSize(): Promise<Table> {
  const sizes = new Map<MinimalAppVariant, { server: number, public: number, ui: number }>()
  // Dashboard on before off: its build builds the client, whose file names the others are searched for.
  for (const variant of VARIANTS) {
    const app = writeMinimalApp(join(repoRoot, 'bench/.tmp/output-size', variant), variant)
    buildApp(app)
    const total = (dir: string) => filesUnder(join(app, '.output', dir)).filter(file => !file.path.endsWith('.map')).reduce((sum, file) => sum + file.bytes, 0)
    const client = new Set(clientAssetNames())
    const ui = filesUnder(join(app, '.output')).filter(file => client.has(file.path.split('/').pop()!)).reduce((sum, file) => sum + file.bytes, 0)
    sizes.set(variant, { server: total('server'), public: total('public'), ui })
  }
  const base = sizes.get('without-nvent')!
  const kb = (bytes: number) => fmt(bytes / 1024, 1)
  return {
    title: 'Production build size: what nvent adds to .output (memory backends; target: dashboard off adds 0 UI bytes)',
    headers: ['build', '.output/server KB', 'added to server KB', '.output/public KB', 'client UI files KB', 'verdict'],
    rows: VARIANTS.map((variant) => {
      const size = sizes.get(variant)!
      return [
        variant,
        kb(size.server),
        variant === 'without-nvent' ? '' : kb(size.server - base.server),
        kb(size.public),
        kb(size.ui),
        variant === 'dashboard-off' ? verdict(size.ui, 0, false, ' bytes') : '',
      ]
    }),
    notes: [
      'A minimal Nuxt app built with `nuxi build` (node-server preset) three ways; sizes are bytes on disk, uncompressed, source maps (.map) left out.',
      'Client UI files: files of the DevTools client build found anywhere in .output (served as public assets under the dashboard route when it is on). The page itself (under 2 KB) is inlined in the server when on.',
    ],
  }
}
