import { describe, expect, it } from 'vitest'
import { chooseAdapters } from '../../src/module/adapters'
import { resolveOptions } from '../../src/module/options'
import { adaptersModule, handlersModule, optionsModule, registryModule } from '../../src/module/templates'
import type { Registry } from '../../src/runtime/types/registry'

const registry: Registry = {
  functions: {
    'send-email': { id: 'send-email', file: '/app/server/functions/send-email.ts', queue: 'emails', attempts: 1 },
    'jobs/cleanup': { id: 'jobs/cleanup', file: '/app/server/functions/jobs/cleanup.ts', queue: 'jobs/cleanup', attempts: 1 },
  },
  flows: {},
  triggers: {},
  subscriptions: {},
}

/** Imports generated code that has no imports of its own. */
const load = (code: string) => import(`data:text/javascript,${encodeURIComponent(code)}`)

describe('server templates', () => {
  it('exports the registry and the options as data', async () => {
    expect((await load(registryModule(registry))).registry).toEqual(registry)
    const options = resolveOptions({})
    expect((await load(optionsModule(options))).options).toEqual(options)
  })

  it('imports each handler by absolute path, keyed by function id', () => {
    const code = handlersModule(registry)
    expect(code).toContain(`import handler0 from "/app/server/functions/send-email.ts"`)
    expect(code).toContain(`"jobs/cleanup": handler1,`)
    expect(code).toContain('export const hooks = {\n}')
  })

  it('imports the await hooks a file exports, by name next to its handler, and none from a file without', () => {
    const withHooks: Registry = {
      ...registry,
      functions: {
        ...registry.functions,
        'orders/approve': { id: 'orders/approve', file: '/app/server/functions/orders/approve.ts', queue: 'orders', attempts: 1, hooks: ['onAwaitRegister', 'onAwaitTimeout'] },
        'orders/ship': { id: 'orders/ship', file: '/app/server/functions/orders/ship.ts', queue: 'orders', attempts: 1, hooks: ['onAwaitResolve'] },
      },
    }
    const code = handlersModule(withHooks)
    expect(code).toContain(`import handler0 from "/app/server/functions/send-email.ts"\n`)
    expect(code).toContain(`import handler2, { onAwaitRegister as hook0, onAwaitTimeout as hook1 } from "/app/server/functions/orders/approve.ts"`)
    expect(code).toContain(`import handler3, { onAwaitResolve as hook2 } from "/app/server/functions/orders/ship.ts"`)
    expect(code).toContain([
      'export const hooks = {',
      `  "orders/approve": { onAwaitRegister: hook0, onAwaitTimeout: hook1 },`,
      `  "orders/ship": { onAwaitResolve: hook2 },`,
      '}',
    ].join('\n'))
    expect(code).not.toMatch(/"send-email": \{/)
  })

  it('imports only the configured backends', () => {
    const memory = adaptersModule(chooseAdapters(resolveOptions({})), module => `/pkg/${module}.ts`)
    expect(memory).toContain(`import { createMemoryQueue, createMemoryStore, createMemoryStream } from "/pkg/runtime/adapters/memory/index.ts"`)
    expect(memory).not.toContain('adapters/file')
    expect(memory).not.toContain('dataDir')
  })

  it('gives the file backends their folders under dataDir, resolved at runtime', async () => {
    const choices = chooseAdapters(resolveOptions({ queue: { adapter: 'file' }, store: { adapter: 'file' } }))
    const code = adaptersModule(choices, module => `/pkg/${module}.ts`)
    expect(code).toContain(`import { createFileQueue, createFileStore } from "/pkg/runtime/adapters/file/index.ts"`)
    expect(code).toContain(`queue: await createFileQueue({ dir: join(dataDir, 'queue'), retention: options.queue.retention }),`)
    expect(code).toContain(`store: await createFileStore({ dir: join(dataDir, 'store'), eventsPerRun: options.store.retention.eventsPerRun }),`)
    expect(code).toContain('const dataDir = resolve(options.connections.file.dataDir)')
  })
})
