/** Builds a Nuxt app and runs its production server as a child process, for end-to-end tests. */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { globSync } from 'tinyglobby'
import { join } from 'pathe'

export const repoRoot = join(import.meta.dirname, '../..')
const nuxi = join(repoRoot, 'node_modules/.bin/nuxi')

/** The environment of a child Nuxt process, without the variables vitest sets (they switch features off). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  for (const key of ['VITEST', 'TEST', 'NODE_ENV', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'])
    delete env[key]
  return env
}

/** Runs a command to its end in `cwd`; resolves its output, or throws with it when the command fails. */
export function runChecked(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, env: childEnv(env), encoding: 'utf8' })
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

/** `nuxi build <appDir>`; throws with nuxi's output when the build fails. */
export function buildApp(appDir: string, env: Record<string, string> = {}): void {
  runChecked(nuxi, ['build', appDir], repoRoot, env)
}

/** What an app's build depends on in this repository, besides the app's own files. */
const MODULE_SOURCES = ['src/**']

/**
 * `buildApp`, skipped when `<appDir>/.output` was built by this function with the same `env` and is newer
 * than every source of the app and the module: test files that run one after another share one build.
 * Any other build (`buildApp`, `nuxi build`) replaces `.output` and its stamp, so it is never mistaken.
 */
export function buildAppOnce(appDir: string, env: Record<string, string> = {}): void {
  const stamp = join(appDir, '.output/nvent-e2e-build.json')
  const built = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) as { env: string, startedAt: number } : undefined
  if (built?.env === JSON.stringify(env)) {
    // Folders too: deleting or renaming a file changes its folder's mtime.
    const sources = [
      ...globSync(MODULE_SOURCES, { cwd: repoRoot, absolute: true, onlyFiles: false }),
      ...globSync('**', { cwd: appDir, absolute: true, onlyFiles: false, ignore: ['.output/**', '.nuxt/**', '.data/**', 'node_modules/**'] }),
    ]
    // Compared with the build's start: a file saved while it ran may not be in it.
    if (sources.every(file => statSync(file).mtimeMs < built.startedAt))
      return
  }
  const startedAt = Date.now()
  buildApp(appDir, env)
  writeFileSync(stamp, JSON.stringify({ env: JSON.stringify(env), startedAt }))
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    }).on('error', reject)
  })
}

export interface RunningServer {
  url: string
  process: ChildProcess
  output(): string
  stop(): Promise<void>
}

/**
 * Starts `<appDir>/.output/server/index.mjs` in `cwd` and resolves once it answers HTTP. `port` picks the
 * port (a restarted server keeps the URLs it handed out); by default a free one.
 */
export async function startServer(appDir: string, options: { cwd: string, env?: Record<string, string>, port?: number }): Promise<RunningServer> {
  const port = options.port ?? await freePort()
  const child = spawn(process.execPath, [join(appDir, '.output/server/index.mjs')], {
    cwd: options.cwd,
    env: childEnv({ PORT: String(port), HOST: '127.0.0.1', ...options.env }),
  })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  while (true) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${output}`)
    if (await fetch(url).then(() => true, () => false))
      break
    if (Date.now() > deadline)
      throw new Error(`server did not answer within 20 s:\n${output}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: () => new Promise((resolve) => {
      // A process killed by a signal has no exit code, only its signal.
      if (child.exitCode !== null || child.signalCode !== null)
        return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    }),
  }
}

/** Fetches JSON from the server, failing with the status and body on a non-2xx answer. */
export async function api<T = any>(server: RunningServer, path: string, init?: { method?: string, body?: unknown }): Promise<T> {
  const response = await fetch(server.url + path, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await response.text()
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text}\nserver output (tail):\n${server.output().slice(-3000)}`)
  return JSON.parse(text) as T
}

/** A request whatever its answer: the status and the parsed JSON body (or the text if it is not JSON). */
export async function request(server: RunningServer, path: string, init?: { method?: string, headers?: Record<string, string>, body?: string }): Promise<{ status: number, body: any }> {
  const response = await fetch(server.url + path, { method: init?.method ?? 'GET', headers: init?.headers, body: init?.body })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  }
  catch {}
  return { status: response.status, body }
}
