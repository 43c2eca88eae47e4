/** The options a deployment sets at start: their names as Nuxt reads them from the environment, and their checks. */
import { applyEnv } from 'nitropack/runtime/internal/utils.env'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveOptions } from '../../src/module/options'
import { envNameOf, RUNTIME_OPTIONS, runtimeConfigOf, withRuntimeConfig } from '../../src/runtime/runtime-config'

const built = resolveOptions({ queue: { adapter: 'redis', prefix: 'built' }, connections: { redis: { url: 'redis://built:6379' } } })
const setEnv: string[] = []
const clearEnv = () => {
  for (const name of setEnv.splice(0)) delete process.env[name]
}
afterEach(clearEnv)

/** What the server reads at start with `env` set: the runtime config as Nuxt's env override leaves it. */
function startWith(env: Record<string, string>) {
  clearEnv()
  for (const [name, value] of Object.entries(env)) {
    process.env[name] = value
    setEnv.push(name)
  }
  const config = applyEnv({ nvent: runtimeConfigOf(built) }, { prefix: 'NUXT_', altPrefix: 'NITRO_', envExpansion: false }) as { nvent: unknown }
  return withRuntimeConfig(built, config.nvent)
}

describe('runtime config', () => {
  it('is the build unless a variable says otherwise', () => {
    expect(startWith({})).toEqual(built)
  })

  it('takes every runtime option from the variable it documents', () => {
    const sample = { string: 'from-env', number: '7', boolean: 'false' } as const
    const options = startWith(Object.fromEntries(Object.entries(RUNTIME_OPTIONS).map(([path, kind]) => [envNameOf(path), sample[kind]])))
    for (const [path, kind] of Object.entries(RUNTIME_OPTIONS)) {
      const value = path.split('.').reduce<any>((node, key) => node[key], options)
      expect(value, `${path} from ${envNameOf(path)}`).toBe(kind === 'string' ? 'from-env' : kind === 'number' ? 7 : false)
    }
    // What is not a runtime option stays as built.
    expect(options.queue.adapter).toBe('redis')
  })

  it('names the variables as Nuxt reads them', () => {
    expect(envNameOf('connections.redis.url')).toBe('NUXT_NVENT_CONNECTIONS_REDIS_URL')
    expect(envNameOf('connections.postgres.connectionString')).toBe('NUXT_NVENT_CONNECTIONS_POSTGRES_CONNECTION_STRING')
    expect(envNameOf('connections.file.dataDir')).toBe('NUXT_NVENT_CONNECTIONS_FILE_DATA_DIR')
  })

  it('keeps a password of digits as text, and turns workers off with 0', () => {
    const options = startWith({ NUXT_NVENT_CONNECTIONS_REDIS_PASSWORD: '012345', NUXT_NVENT_WORKERS: '0' })
    expect(options.connections.redis!.password).toBe('012345')
    expect(options.workers).toBe(false)
  })

  it('refuses a number or a switch it cannot read, naming the variable', () => {
    expect(() => startWith({ NUXT_NVENT_CONNECTIONS_REDIS_PORT: 'six' })).toThrow('nvent: runtime config nvent.connections.redis.port (NUXT_NVENT_CONNECTIONS_REDIS_PORT) must be a number, got "six"')
    expect(() => startWith({ NUXT_NVENT_CONNECTIONS_REDIS_TLS: 'maybe' })).toThrow('(NUXT_NVENT_CONNECTIONS_REDIS_TLS) must be a boolean, got "maybe"')
  })
})
