// nvent as an app gets it: the package built and packed (`npm run build`, `npm pack`), the tarball installed into a fresh Nuxt app
// outside this repository with only the app's own dependencies, then `nuxi typecheck`, `nuxi build`, a
// start, and a two-step flow run over HTTP: on the memory backends, and on Redis.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { Redis } from 'ioredis'
import { join } from 'pathe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../test/helpers/engine-app'
import { REDIS_URL, unreachableReason } from '../test/helpers/services'
import { serverBackends } from './helpers/backends'
import { api, childEnv, repoRoot, runChecked as run, startServer } from './helpers/server'

const app = mkdtempSync(join(tmpdir(), 'nvent-install-'))
const redisSkip = await unreachableReason('Redis', REDIS_URL)
const prefix = `install${Date.now()}`

/** The app's nuxt.config on `backend`: written before each build, as a developer would edit it. */
function nuxtConfig(backend: 'memory' | 'redis'): string {
  const nvent = backend === 'redis'
    ? `{ queue: { adapter: 'redis', prefix: '${prefix}' }, store: { adapter: 'redis', prefix: '${prefix}' }, stream: { adapter: 'redis', prefix: '${prefix}' } }`
    : '{}'
  return `export default defineNuxtConfig({\n  modules: ['nvent'],\n  compatibilityDate: '2025-07-15',\n  nvent: ${nvent},\n})\n`
}

const FILES: Record<string, string> = {
  'nuxt.config.ts': nuxtConfig('memory'),
  'tsconfig.json': JSON.stringify({ files: [], references: ['app', 'server', 'shared', 'node'].map(name => ({ path: `./.nuxt/tsconfig.${name}.json` })) }, null, 2),
  'app.vue': '<template><main>An app with nvent</main></template>\n',
  // Typed flows: the entry exports its events' payloads, each file passes its config to defineFunction.
  'server/functions/greet.ts': `export const config = defineFunctionConfig({ flow: { name: 'hello', role: 'entry', step: 'greet', emits: ['greeted'] } })

export type Emits = { greeted: { name: string } }

export default defineFunction(config, async (input: { name: string }, ctx) => {
  await ctx.flow.emit('greeted', { name: input.name })
})
`,
  'server/functions/answer.ts': `export const config = defineFunctionConfig({ flow: { name: 'hello', role: 'step', step: 'answer', subscribes: ['greeted'] } })

export default defineFunction(config, async (input, ctx) => {
  ctx.logger.log('info', \`hello, \${input.greeted.name}\`)
  return { answered: input.greeted.name }
})
`,
  'server/api/hello.post.ts': 'export default defineEventHandler(async event => useNvent().flow.start(\'hello\', { name: String((await readBody(event)).name) }))\n',
  // A flow name known only at run time is accepted by the types and checked when the call runs.
  'server/api/flows/[name].post.ts': 'export default defineEventHandler(async event => useNvent().flow.start(getRouterParam(event, \'name\')!, await readBody(event)))\n',
  'server/api/runs/[id].get.ts': 'export default defineEventHandler(event => useNvent().flow.getRun(getRouterParam(event, \'id\')!))\n',
}

beforeAll(() => {
  // What `npm pack` runs first (prepack), here on its own so that pack's answer is only its JSON.
  run('npm', ['run', 'build'], repoRoot)
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], repoRoot)) as Array<{ filename: string }>
  for (const [file, contents] of Object.entries(FILES)) {
    mkdirSync(join(app, file, '..'), { recursive: true })
    writeFileSync(join(app, file), contents)
  }
  // What an app lists itself: Nuxt, nvent, the libraries of the backends it picks, and the type checker.
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'app-with-nvent',
    private: true,
    type: 'module',
    dependencies: { 'nuxt': '4.4.5', 'nvent': `file:./${packed!.filename}`, 'bullmq': '^6.7.0', 'ioredis': '^5.9.2' },
    devDependencies: { 'typescript': '5.9.3', 'vue-tsc': '^3.3.14' },
  }, null, 2))
  run('npm', ['install', '--no-audit', '--no-fund'], app)
}, 600_000)

afterAll(async () => {
  rmSync(app, { recursive: true, force: true })
  await serverBackends.find(backend => backend.name === 'redis')!.cleanup(prefix)
})

describe('nvent installed from its package into a new app', () => {
  it('typechecks with the app\'s own dependencies only: no error, and no @types/node needed', () => {
    expect(existsSync(join(app, 'node_modules/@types/node'))).toBe(false)
    const output = run(join(app, 'node_modules/.bin/nuxi'), ['typecheck'], app)
    expect(output).not.toContain('error TS')
  }, 120_000)

  // Each mistake typed flows exist to catch, made in a copy of a file: typecheck fails on it, naming it.
  const mistakes = [
    ['a flow that does not exist', 'server/api/hello.post.ts', `flow.start('hello'`, `flow.start('no-such-flow'`, `'"no-such-flow"' is not assignable to parameter of type '"hello"'`],
    ['an event the step does not emit', 'server/functions/greet.ts', `emit('greeted'`, `emit('x.typo'`, `'"x.typo"' is not assignable to parameter of type '"greeted"'`],
    ['a payload field that is not there', 'server/functions/answer.ts', 'input.greeted.name }', 'input.greeted.nme }', `Property 'nme' does not exist on type '{ name: string; }'`],
  ] as const
  it.each(mistakes)('typed flows: %s fails the typecheck', (_, file, correct, wrong, error) => {
    const path = join(app, file)
    writeFileSync(path, FILES[file]!.replace(correct, wrong))
    try {
      const result = spawnSync(join(app, 'node_modules/.bin/nuxi'), ['typecheck'], { cwd: app, env: childEnv(), encoding: 'utf8' })
      expect(result.status).not.toBe(0)
      expect(`${result.stdout}${result.stderr}`).toContain(error)
    }
    finally {
      writeFileSync(path, FILES[file]!)
    }
  }, 120_000)

  const backends = [['memory', undefined], ['redis', redisSkip]] as const
  for (const [backend, skip] of backends) {
    it.skipIf(Boolean(skip))(`${backend}: builds, starts and runs a two-step flow over HTTP${skip ? ` (skipped: ${skip})` : ''}`, async () => {
      writeFileSync(join(app, 'nuxt.config.ts'), nuxtConfig(backend))
      run(join(app, 'node_modules/.bin/nuxi'), ['build'], app)
      const server = await startServer(app, { cwd: app })
      try {
        const { runId } = await api<{ runId: string }>(server, '/api/hello', { method: 'POST', body: { name: 'Ada' } })
        const run = await waitFor(async () => {
          const current = await api<{ status: string, steps: Record<string, { output?: unknown }> }>(server, `/api/runs/${runId}`)
          return current.status === 'running' ? null : current
        }, 'the run to end', 20_000)
        expect(run.status).toBe('completed')
        expect(run.steps.answer?.output).toEqual({ answered: 'Ada' })
        expect(server.output()).toContain('hello, Ada')
        if (backend === 'redis') {
          const redis = new Redis(REDIS_URL)
          expect(await redis.exists(`${prefix}:run:${runId}`)).toBe(1)
          await redis.quit()
        }
      }
      finally {
        await server.stop()
      }
    }, 180_000)
  }
})
