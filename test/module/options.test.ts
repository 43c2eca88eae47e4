import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { checkBackendPackages, chooseAdapters } from '../../src/module/adapters'
import { checkRetentionFlows, resolveOptions } from '../../src/module/options'
import { defaultOptions } from '../../src/runtime/defaults'
import type { NventOptions } from '../../src/runtime/types/options'

describe('resolveOptions', () => {
  it('applies every default to empty options', () => {
    expect(resolveOptions({})).toEqual(defaultOptions)
  })

  it('keeps what the user set over the defaults', () => {
    const options = resolveOptions({ workers: false, queue: { adapter: 'file', worker: { concurrency: 8 } } })
    expect(options.workers).toBe(false)
    expect(options.queue).toMatchObject({ adapter: 'file', prefix: 'nvent', worker: { concurrency: 8, autorun: true } })
  })

  it('treats undefined values as unset, as from a missing environment variable', () => {
    expect(() => resolveOptions({ connections: { redis: { password: undefined } } })).not.toThrow()
  })

  it('rejects an unknown key, with a suggestion', () => {
    expect(() => resolveOptions({ worker: true } as NventOptions)).toThrow('nuxt.config: nvent.worker is not a known option (did you mean `workers`?)')
  })

  it('rejects the file backend for the stream, and a bad number', () => {
    const options = { stream: { adapter: 'file' }, queue: { worker: { concurrency: 0 } } } as unknown as NventOptions
    expect(() => resolveOptions(options)).toThrow(/nvent\.stream\.adapter must be one of 'memory', 'redis', 'postgres'[\s\S]*nvent\.queue\.worker\.concurrency must be a positive integer/)
  })
})

describe('resolveOptions: logging', () => {
  it('prints handler logs plain in a build and pretty in dev, unless the app says otherwise', () => {
    expect(resolveOptions({}).logging.console).toBe('plain')
    expect(resolveOptions({}, { dev: true }).logging.console).toBe('pretty')
    expect(resolveOptions({ logging: { console: 'json' } }, { dev: true }).logging.console).toBe('json')
    expect(resolveOptions({ logging: { console: 'off' } }).logging.console).toBe('off')
  })

  it('names a format it does not know', () => {
    const options = { logging: { console: 'fancy' } } as unknown as NventOptions
    expect(() => resolveOptions(options)).toThrow(/nvent\.logging\.console must be one of 'pretty', 'plain', 'json', 'off'/)
  })
})

describe('resolveOptions: webhooks and triggers', () => {
  it('defaults the webhook routes, body limit, signature header and trigger history', () => {
    const options = resolveOptions({})
    expect(options.webhooks).toEqual({ path: '/api/_nvent', baseUrl: '', maxBodySize: 1_048_576, signatureHeader: 'x-nvent-signature', tolerance: 300 })
    expect(options.triggers).toEqual({ historyLimit: 1000, scheduler: true })
    expect(options.dashboard).toEqual({ enabled: false, route: '/_nvent' })
  })

  it('accepts an empty baseUrl (resolved at server start) and keeps a set one', () => {
    expect(resolveOptions({ webhooks: { baseUrl: '' } }).webhooks.baseUrl).toBe('')
    expect(resolveOptions({ webhooks: { baseUrl: 'https://app.example.com', path: '/hooks' } }).webhooks).toMatchObject({ baseUrl: 'https://app.example.com', path: '/hooks' })
  })

  it('requires the webhook path to start with a slash and not end with one', () => {
    expect(() => resolveOptions({ webhooks: { path: 'api/hooks' } })).toThrow(`nuxt.config: nvent.webhooks.path must start with '/' (found string "api/hooks")`)
    expect(() => resolveOptions({ webhooks: { path: '/api/hooks/' } })).toThrow(`nuxt.config: nvent.webhooks.path must not end with '/' (found string "/api/hooks/")`)
  })

  it('requires the dashboard route to be a plain path that joins cleanly', () => {
    expect(resolveOptions({ dashboard: { enabled: true, route: '/ops/nvent' } }).dashboard).toEqual({ enabled: true, route: '/ops/nvent' })
    expect(() => resolveOptions({ dashboard: { route: '_nvent' } })).toThrow(`nuxt.config: nvent.dashboard.route must start with '/' (found string "_nvent")`)
    expect(() => resolveOptions({ dashboard: { route: '/_nvent/' } })).toThrow(`nuxt.config: nvent.dashboard.route must not end with '/' (found string "/_nvent/")`)
    expect(() => resolveOptions({ dashboard: { route: '/ops/:team' } })).toThrow(`nuxt.config: nvent.dashboard.route must be a plain path, without spaces, '?', '#', '*' or ':' (found string "/ops/:team")`)
    expect(() => resolveOptions({ dashboard: { enabled: 'yes' } } as unknown as NventOptions)).toThrow('nvent.dashboard.enabled must be a boolean (found string "yes")')
  })

  it('checks the types of the new options', () => {
    const options = { webhooks: { maxBodySize: 0, signatureHeader: '', tolerance: 0.5 }, triggers: { historyLimit: 1.5, scheduler: 'yes' } } as unknown as NventOptions
    expect(() => resolveOptions(options)).toThrow([
      'nvent.webhooks.maxBodySize must be a positive integer (found number 0)',
      'nvent.webhooks.signatureHeader must not be empty',
      'nvent.webhooks.tolerance must be a positive integer (found number 0.5)',
      'nvent.triggers.historyLimit must be a positive integer (found number 1.5)',
      'nvent.triggers.scheduler must be a boolean (found string "yes")',
    ].map(message => `  - nuxt.config: ${message}`).join('\n'))
  })
})

describe('chooseAdapters', () => {
  it('takes each adapter from its configured backend', () => {
    const choices = chooseAdapters(resolveOptions({ queue: { adapter: 'file' }, store: { adapter: 'file' } }))
    expect(choices.map(choice => [choice.kind, choice.factory.name])).toEqual([
      ['queue', 'createFileQueue'],
      ['store', 'createFileStore'],
      ['stream', 'createMemoryStream'],
    ])
  })

  it('chooses the Redis and PostgreSQL factories, mixed per kind', () => {
    const chosen = chooseAdapters(resolveOptions({ queue: { adapter: 'postgres' }, store: { adapter: 'postgres' }, stream: { adapter: 'redis' } }))
    expect(chosen.map(c => c.factory.name)).toEqual(['createPostgresQueue', 'createPostgresStore', 'createRedisStream'])
  })

  it('names the backend packages an app lacks, and what needs each', async () => {
    const chosen = chooseAdapters(resolveOptions({ queue: { adapter: 'postgres' }, store: { adapter: 'postgres' }, stream: { adapter: 'redis' } }))
    // Resolved from this repository, where every backend's packages are installed.
    await expect(checkBackendPackages(chosen, fileURLToPath(new URL('../../src/runtime/adapters/', import.meta.url)))).resolves.toBeUndefined()
    // Resolved from a folder with no node_modules above it: none is there.
    const bare = mkdtempSync(join(tmpdir(), 'nvent-no-packages-'))
    try {
      await expect(checkBackendPackages(chosen, bare)).rejects.toThrow([
        'nvent: the backends in nuxt.config need packages this app does not have:',
        '  - pg-boss (for nvent.queue.adapter \'postgres\')',
        '  - pg (for nvent.queue.adapter \'postgres\', nvent.store.adapter \'postgres\')',
        '  - ioredis (for nvent.stream.adapter \'redis\')',
        'Install them: npm install pg-boss pg ioredis',
      ].join('\n'))
      await expect(checkBackendPackages(chooseAdapters(resolveOptions({ queue: { adapter: 'file' } })), bare)).resolves.toBeUndefined()
    }
    finally {
      rmSync(bare, { recursive: true, force: true })
    }
  })
})

describe('resolveOptions: store retention and state', () => {
  it('defaults to a bounded store: run counts per flow, events per run, state gone on completion', () => {
    expect(resolveOptions({}).store).toMatchObject({
      retention: { completed: { count: 1000 }, failed: { count: 5000 }, flows: {}, eventsPerRun: 10_000, interval: 60_000 },
      state: { cleanup: 'on-complete', ttl: 86_400_000 },
    })
  })

  it('checks each flow\'s own retention and the cleanup strategy, naming the field', () => {
    const options = { store: { retention: { flows: { order: { completed: { count: -1 } }, report: { kept: 1 } } }, state: { cleanup: 'sometimes' } } } as unknown as NventOptions
    expect(() => resolveOptions(options)).toThrow(/nvent\.store\.retention\.flows\.order\.completed\.count must be a non-negative integer[\s\S]*nvent\.store\.retention\.flows\.report\.kept is not a known option[\s\S]*nvent\.store\.state\.cleanup must be one of 'never', 'immediate', 'on-complete', 'ttl'/)
  })

  it('refuses retention for a flow the app does not have', () => {
    const options = resolveOptions({ store: { retention: { flows: { ordr: { completed: { count: 10 } } } } } })
    const registry = { functions: {}, flows: { order: { name: 'order', entry: 'receive', steps: {} } }, triggers: {}, subscriptions: {} }
    expect(checkRetentionFlows(options, registry)).toEqual([{ files: ['nuxt.config'], field: 'nvent.store.retention.flows.ordr', message: 'names no flow of this app (flows: order)' }])
  })
})
