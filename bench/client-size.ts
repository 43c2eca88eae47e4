/**
 * The Nvent tab's client as shipped: each file of its production build gzipped, the total, and the largest
 * chunk against the budget (no chunk over 150 KB gzipped). Builds the client first.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import type { Table } from './util'
import { fmt, verdict } from './util'

const CLIENT = join(import.meta.dirname ?? __dirname, '../devtools-client')
const CHUNK_BUDGET_KB = 150

export async function measureClientSize(): Promise<Table> {
  await build({ configFile: join(CLIENT, 'vite.config.ts'), logLevel: 'warn' })
  const assets = join(CLIENT, 'dist/assets')
  const files = readdirSync(assets).map((name) => {
    const bytes = readFileSync(join(assets, name))
    return { name: name.replace(/-[\w-]{8}\./, '.'), raw: bytes.length, gzip: gzipSync(bytes).length }
  }).sort((a, b) => b.gzip - a.gzip)
  const kb = (bytes: number) => fmt(bytes / 1024, 1)
  const largest = files[0]!
  return {
    title: `DevTools client: production build, gzipped (target: no chunk over ${CHUNK_BUDGET_KB} KB)`,
    headers: ['file', 'KB', 'KB gzipped', 'verdict'],
    rows: [
      ...files.slice(0, 6).map(file => [file.name, kb(file.raw), kb(file.gzip), file === largest ? verdict(file.gzip / 1024, CHUNK_BUDGET_KB, false, ' KB') : '']),
      ['all files', kb(files.reduce((sum, file) => sum + file.raw, 0)), kb(files.reduce((sum, file) => sum + file.gzip, 0)), ''],
    ],
    notes: [`${files.length} files; the six largest listed. Views load on demand; the flow graph (Vue Flow, dagre) is its own chunk.`],
  }
}
