/**
 * `nuxi dev` of a copy of an app, in its own process group and with its own HOME (DevTools keeps its dev
 * auth token there), with DevTools on: the test environment variables that switch it off are removed.
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { waitFor } from '../../test/helpers/engine-app'
import { childEnv, freePort, repoRoot } from './server'

export interface DevServer {
  url: string
  /** Where the copy lives: its function files may be edited while it runs. */
  appDir: string
  home: string
  output(): string
  stop(): void
}

/**
 * Copies `source` (a folder at the repository's top level, as the playground is) beside it, so the copy's
 * relative imports of the repository's files still resolve, and starts it. The copy may be edited.
 */
export async function startDevServer(source: string, env: Record<string, string> = {}): Promise<DevServer> {
  const appDir = join(repoRoot, `.e2e-dev-${process.pid}`)
  rmSync(appDir, { recursive: true, force: true })
  cpSync(source, appDir, { recursive: true, filter: path => !/[/\\](node_modules|\.nuxt|\.output|\.data)$/.test(path) })
  const home = mkdtempSync(join(tmpdir(), 'nvent-devtools-home-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(join(repoRoot, 'node_modules/.bin/nuxi'), ['dev', appDir, '--port', String(port), '--host', '127.0.0.1'], {
    cwd: repoRoot,
    env: childEnv({ HOME: home, ...env }),
    detached: true,
  })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const stop = () => {
    try { process.kill(-child.pid!, 'SIGKILL') }
    catch {}
    rmSync(appDir, { recursive: true, force: true })
    rmSync(home, { recursive: true, force: true })
  }
  try {
    await waitFor(async () => (await fetch(url).catch(() => null))?.ok, 'the dev server to answer', 90_000)
  }
  catch (error) {
    stop()
    throw new Error(`${(error as Error).message}; its output:\n${output.slice(-3000)}`)
  }
  return { url, appDir, home, output: () => output, stop }
}
