import { fileURLToPath } from 'node:url'
import { loadNuxt } from '@nuxt/kit'
import { describe, expect, it } from 'vitest'
import type { Registry } from '../../src/runtime/types/registry'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

/** Loads a fixture app the way `nuxi build` starts: modules set up, nothing bundled. */
const load = (name: string) => loadNuxt({ cwd: fixture(name), dev: false, ready: true })

describe('invalid apps fail to load, naming the file and the field', () => {
  const cases: Array<[string, string]> = [
    ['unreadable', `server/functions/notify.ts: config.flow.emits[1] must be a static value (found Identifier \`EVENTS\`)`],
    ['no-entry', `server/functions/a.ts, server/functions/b.ts: config.flow.role must be 'entry' in exactly one step of flow 'orders', but no step is (step 'a' subscribes to nothing: is it the entry?)`],
    ['several-entries', `server/functions/start-cron.ts, server/functions/start-web.ts: config.flow.role must be 'entry' in exactly one step of flow 'report'`],
    ['unemitted', `server/functions/welcome.ts: config.flow.subscribes[1] 'user.verified' is not emitted by any step of flow 'signup'`],
    ['cycle', `server/functions/ping.ts, server/functions/pong.ts: config.flow.subscribes form a cycle in flow 'loop': ping → pong → ping`],
    ['duplicate-step', `server/functions/charge-card.ts, server/functions/charge-wallet.ts: config.flow.step 'charge' names 2 steps of flow 'billing'`],
    ['unknown-option', 'server/functions/resize.ts: config.retry.backof is not a known option (did you mean `backoff`?)'],
    ['module-option', 'nuxt.config: nvent.queue.workers is not a known option (did you mean `worker`?)'],
    ['trigger-cron', 'server/functions/nightly-report.ts: config.flow.triggers.config.cron is not a valid cron expression: CronPattern: Invalid value for hour: 25'],
    ['duplicate-trigger', `server/functions/backup.ts, server/functions/report.ts: config.flow.triggers.define.name 'nightly' is defined by 2 function configs`],
  ]
  it.each(cases)('invalid-%s: that one problem, no other it leads to, and no stack trace', async (name, message) => {
    const error = await load(`invalid-${name}`).then(() => undefined, (error: Error) => error)
    expect(error?.message).toContain(message)
    expect(error?.message.split('\n').filter(line => line.startsWith('  - '))).toHaveLength(1)
    // What nuxi prints: the message alone, without nvent's frames under it.
    expect(error?.stack).toBe(error?.message)
  })
})

describe('a valid app', () => {
  it('compiles its functions, those of its layers, and the flow', async () => {
    const nuxt = await load('valid')
    try {
      const virtual = nuxt.options.nitro.virtual as Record<string, () => string | Promise<string>>
      const code = await virtual['#nvent/registry']!()
      const { registry } = await import(`data:text/javascript,${encodeURIComponent(code)}`) as { registry: Registry }

      expect(Object.keys(registry.functions).sort()).toEqual(['audit', 'cleanup', 'example/first_step', 'example/second_step', 'example/third_step', 'send-email'])
      // The app's own send-email overrides the layer's.
      expect(registry.functions['send-email']).toMatchObject({ queue: 'emails', file: `${fixture('valid')}/server/functions/send-email.ts`, attempts: 3 })
      expect(registry.functions.audit).toMatchObject({ queue: 'audit', concurrency: 1, file: `${fixture('valid')}/layers/base/server/functions/audit.ts` })
      expect(registry.flows['example-flow']).toEqual({
        name: 'example-flow',
        entry: 'first_step',
        steps: {
          'first_step': { name: 'first_step', functionId: 'example/first_step', queue: 'example_queue', subscribes: [], emits: ['first_step.completed'] },
          'example/second_step': {
            name: 'example/second_step',
            functionId: 'example/second_step',
            queue: 'example/second_step',
            subscribes: ['first_step.completed'],
            emits: ['second_step.completed'],
            stepTimeout: 1_800_000,
          },
          'third_step': {
            name: 'third_step',
            functionId: 'example/third_step',
            queue: 'example/third_step',
            subscribes: ['first_step.completed', 'second_step.completed'],
            emits: [],
          },
        },
      })

      const handlers = await virtual['#nvent/handlers']!()
      expect(handlers).toContain(`from "${fixture('valid')}/layers/base/server/functions/audit.ts"`)
      expect(handlers).not.toContain('layers/base/server/functions/send-email.ts')
      const options = await virtual['#nvent/options']!()
      // A production build keeps dataDir relative: the server resolves it where it runs.
      expect(options).toContain(`"dataDir": ".data/nvent"`)
      expect(options).toContain(`"concurrency": 3`)
    }
    finally {
      await nuxt.close()
    }
  })
})

describe('an app with triggers and awaits', () => {
  it('compiles the triggers, subscriptions, awaits and hooks, and routes the webhooks under the configured path', async () => {
    const nuxt = await load('valid-triggers')
    try {
      const virtual = nuxt.options.nitro.virtual as Record<string, () => string | Promise<string>>
      const { registry } = await import(`data:text/javascript,${encodeURIComponent(await virtual['#nvent/registry']!())}`) as { registry: Registry }

      expect(registry.triggers).toEqual({
        'expense.submitted': {
          name: 'expense.submitted',
          type: 'webhook',
          scope: 'global',
          displayName: 'Expense submitted',
          definedIn: 'server/functions/approvals/request.ts',
          config: { secretEnv: 'EXPENSES_SECRET' },
        },
        'nightly-audit': {
          name: 'nightly-audit',
          type: 'time',
          scope: 'flow',
          displayName: 'nightly-audit',
          definedIn: 'server/functions/audit-expenses.ts',
          config: { cron: '0 3 * * *', timezone: 'Europe/Paris' },
        },
      })
      expect(registry.subscriptions).toEqual({
        'expense.submitted': [{ flow: 'approval', mode: 'auto' }, { flow: 'expense-audit', mode: 'auto' }],
        'nightly-audit': [{ flow: 'expense-audit', mode: 'auto' }],
      })
      expect(registry.flows.approval?.steps.request?.awaitAfter).toEqual({ type: 'webhook', timeout: 86_400_000, timeoutAction: 'fail' })
      expect(registry.flows.approval?.steps.notify?.awaitBefore).toEqual({ type: 'time', delay: 300_000 })
      expect(registry.functions['approvals/request']?.hooks).toEqual(['onAwaitRegister', 'onAwaitTimeout'])
      expect(registry.functions['approvals/notify']).not.toHaveProperty('hooks')

      const handlers = await virtual['#nvent/handlers']!()
      expect(handlers).toContain(`, { onAwaitRegister as hook0, onAwaitTimeout as hook1 } from "${fixture('valid-triggers')}/server/functions/approvals/request.ts"`)
      expect(handlers).toContain(`"approvals/request": { onAwaitRegister: hook0, onAwaitTimeout: hook1 },`)

      const routes = nuxt.options.serverHandlers.map(handler => [handler.route, handler.method])
      // Every method, so the handler answers 405 to all but POST instead of the app's pages answering them.
      expect(routes).toContainEqual(['/hooks/webhook/:trigger', undefined])
      expect(routes).toContainEqual(['/hooks/await/:token', undefined])
    }
    finally {
      await nuxt.close()
    }
  })
})

describe('the DevTools routes', () => {
  const secretOf = (nuxt: { options: { runtimeConfig: Record<string, any> } }) => nuxt.options.runtimeConfig.nvent?.bridgeSecret
  const routesOf = (nuxt: Awaited<ReturnType<typeof load>>) => [
    ...nuxt.options.serverHandlers.map(handler => handler.route),
    ...nuxt.options.devServerHandlers.map(handler => handler.route),
  ].filter(route => route?.startsWith('/__nvent__'))

  it('exist in dev only: the client from the Nuxt process, the bridge guarded by a secret made at each start', async () => {
    const secrets: string[] = []
    for (let i = 0; i < 2; i++) {
      const dev = await loadNuxt({ cwd: fixture('valid'), dev: true, ready: true })
      try {
        expect(routesOf(dev).sort()).toEqual(['/__nvent__/bridge/**', '/__nvent__/devtools/'])
        secrets.push(secretOf(dev))
      }
      finally {
        await dev.close()
      }
    }
    expect(secrets[0]).toMatch(/^[\w-]{43}$/)
    expect(secrets[1]).not.toBe(secrets[0])

    const build = await load('valid')
    try {
      expect(routesOf(build)).toEqual([])
      expect(secretOf(build)).toBeUndefined()
    }
    finally {
      await build.close()
    }
  })
})

describe('the dashboard', () => {
  const dashboardRoutes = (nuxt: Awaited<ReturnType<typeof load>>) => nuxt.options.serverHandlers.map(handler => handler.route).filter(route => route?.startsWith('/ops'))
  const publicAssets = (nuxt: Awaited<ReturnType<typeof load>>) => (nuxt.options.nitro.publicAssets ?? []).map(asset => asset?.baseURL)

  it('is not in a build unless enabled: no route, no asset, no token in runtime config', async () => {
    const off = await loadNuxt({ cwd: fixture('valid'), dev: false, ready: true, overrides: { nvent: { dashboard: { route: '/ops' } } } as never })
    try {
      expect(dashboardRoutes(off)).toEqual([])
      expect(publicAssets(off)).not.toContain('/ops/assets')
      expect(off.options.nitro.virtual).not.toHaveProperty('#nvent/dashboard-page')
      expect(off.options.runtimeConfig.nvent).not.toHaveProperty('dashboardToken')
    }
    finally {
      await off.close()
    }
  })

  it('enabled, mounts its page, its API and its assets at the route, and takes its token from runtime config', async () => {
    const on = await loadNuxt({ cwd: fixture('valid'), dev: false, ready: true, overrides: { nvent: { dashboard: { enabled: true, route: '/ops' } } } as never })
    try {
      expect(dashboardRoutes(on).sort()).toEqual(['/ops', '/ops/**', '/ops/api/**'])
      expect(publicAssets(on)).toContain('/ops/assets')
      // Empty in the build: NUXT_NVENT_DASHBOARD_TOKEN sets it where the server runs.
      expect(on.options.runtimeConfig.nvent).toMatchObject({ dashboardToken: '' })
      const { page } = await import(`data:text/javascript,${encodeURIComponent(await (on.options.nitro.virtual as Record<string, () => Promise<string>>)['#nvent/dashboard-page']!())}`)
      expect(page.html).toContain('<meta name="nvent-dashboard" content="./api">')
      expect(page.html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/)
      expect(page.icon).toContain('<svg')
    }
    finally {
      await on.close()
    }
  })
})
