/** Builds a Nuxt app and runs its production server as a child process, for end-to-end tests. */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
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

/** `nuxi build <appDir>`; throws with nuxi's output when the build fails. */
export function buildApp(appDir: string, env: Record<string, string> = {}): void {
  const result = spawnSync(nuxi, ['build', appDir], { cwd: repoRoot, env: childEnv(env), encoding: 'utf8' })
  if (result.status !== 0)
    throw new Error(`nuxi build ${appDir} failed:\n${result.stdout}\n${result.stderr}`)
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

/** Starts `<appDir>/.output/server/index.mjs` in `cwd` and resolves once it answers HTTP. */
export async function startServer(appDir: string, options: { cwd: string, env?: Record<string, string> }): Promise<RunningServer> {
  const port = await freePort()
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
      if (child.exitCode !== null)
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
