import { describe, expect, it } from 'vitest'
import { chooseAdapters } from '../../build/adapters'
import { resolveOptions } from '../../build/options'
import { defaultOptions } from '../../runtime/defaults'
import type { NventOptions } from '../../runtime/types/options'

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

describe('resolveOptions: webhooks and triggers', () => {
  it('defaults the webhook routes, body limit, signature header and trigger history', () => {
    const options = resolveOptions({})
    expect(options.webhooks).toEqual({ path: '/api/_nvent', baseUrl: '', maxBodySize: 1_048_576, signatureHeader: 'x-nvent-signature' })
    expect(options.triggers).toEqual({ historyLimit: 1000, scheduler: true })
  })

  it('accepts an empty baseUrl (resolved at server start) and keeps a set one', () => {
    expect(resolveOptions({ webhooks: { baseUrl: '' } }).webhooks.baseUrl).toBe('')
    expect(resolveOptions({ webhooks: { baseUrl: 'https://app.example.com', path: '/hooks' } }).webhooks).toMatchObject({ baseUrl: 'https://app.example.com', path: '/hooks' })
  })

  it('requires the webhook path to start with a slash and not end with one', () => {
    expect(() => resolveOptions({ webhooks: { path: 'api/hooks' } })).toThrow(`nuxt.config: nvent.webhooks.path must start with '/' (found string "api/hooks")`)
    expect(() => resolveOptions({ webhooks: { path: '/api/hooks/' } })).toThrow(`nuxt.config: nvent.webhooks.path must not end with '/' (found string "/api/hooks/")`)
  })

  it('checks the types of the new options', () => {
    const options = { webhooks: { maxBodySize: 0, signatureHeader: '' }, triggers: { historyLimit: 1.5, scheduler: 'yes' } } as unknown as NventOptions
    expect(() => resolveOptions(options)).toThrow([
      'nvent.webhooks.maxBodySize must be a positive integer (found number 0)',
      'nvent.webhooks.signatureHeader must not be empty',
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
})
