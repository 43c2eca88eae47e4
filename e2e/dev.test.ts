// `nuxi dev`: adding, editing and deleting a function file updates the running server without a restart,
// and the Nvent tab's client and bridge are served.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'pathe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../test/helpers/engine-app'
import { childEnv, freePort, repoRoot } from './helpers/server'

// Inside the repository (git-ignored) so the copy resolves the repository's node_modules.
const appDir = join(repoRoot, 'e2e/.tmp', `dev-app-${process.pid}`)
const functionsDir = join(appDir, 'server/functions')
let dev: ChildProcess
let url = ''
let output = ''

async function registry(): Promise<{ id: string, queue: string }[] | null> {
  const response = await fetch(`${url}/api/registry`).catch(() => null)
  return response?.ok ? response.json() : null
}

beforeAll(async () => {
  mkdirSync(join(repoRoot, 'e2e/.tmp'), { recursive: true })
  cpSync(join(import.meta.dirname, 'fixtures/dev-app'), appDir, { recursive: true })
  // The config names the module by absolute path, since the copy lives at a different depth.
  writeFileSync(join(appDir, 'nuxt.config.ts'), `export default defineNuxtConfig({ modules: ['${join(repoRoot, 'src/module.ts')}'], compatibilityDate: '2025-07-15' })\n`)
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  // Its own process group, so the whole dev server (nuxi forks) stops with one signal.
  dev = spawn(join(repoRoot, 'node_modules/.bin/nuxi'), ['dev', appDir, '--port', String(port), '--host', '127.0.0.1'], { cwd: repoRoot, env: childEnv(), detached: true })
  dev.stdout!.on('data', (chunk) => { output += chunk })
  dev.stderr!.on('data', (chunk) => { output += chunk })
  await waitFor(registry, `the dev server to answer (output so far:\n${output})`, 60_000)
}, 90_000)

afterAll(() => {
  if (dev?.pid)
    try { process.kill(-dev.pid, 'SIGKILL') } catch {}
  rmSync(appDir, { recursive: true, force: true })
})

describe('dev server', () => {
  it('picks up a function added, edited and deleted while it runs', { timeout: 90_000 }, async () => {
    expect(await registry()).toEqual([{ id: 'hello', queue: 'greetings' }])
    const added = join(functionsDir, 'added.ts')
    writeFileSync(added, `export const config = defineFunctionConfig({ queue: { name: 'first' } })\nexport default defineFunction(async () => 1)\n`)
    await waitFor(async () => (await registry())?.some(fn => fn.id === 'added' && fn.queue === 'first'), 'the added function', 30_000)
    writeFileSync(added, `export const config = defineFunctionConfig({ queue: { name: 'second' } })\nexport default defineFunction(async () => 2)\n`)
    await waitFor(async () => (await registry())?.some(fn => fn.id === 'added' && fn.queue === 'second'), 'the edited queue name', 30_000)
      .catch((error: Error) => { throw new Error(`${error.message}; the dev server said:\n${output.slice(-4000)}`) })
    unlinkSync(added)
    await waitFor(async () => (await registry())?.length === 1, 'the deleted function to disappear', 30_000)
    expect(await registry()).toEqual([{ id: 'hello', queue: 'greetings' }])
  })

  it('serves the Nvent tab\'s client from the Nuxt process, and its bridge only to the secret of this start', async () => {
    const page = await fetch(`${url}/__nvent__/devtools/`)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('<div id="app"></div>')
    expect((await fetch(`${url}/__nvent__/devtools/icon.svg`)).headers.get('content-type')).toContain('image/svg+xml')
    // Outside the build nothing is served, whatever the path says.
    expect(await (await fetch(`${url}/__nvent__/devtools/..%2F..%2Fpackage.json`)).text()).not.toContain('"name"')
    const call = await fetch(`${url}/__nvent__/bridge/call`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-nvent-bridge': 'guess' }, body: JSON.stringify({ fn: 'overview', args: [] }) })
    expect(call.status).toBe(403)
  })
})
