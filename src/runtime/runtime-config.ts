/**
 * The options a deployment sets at server start instead of at build: where the backends are, the names
 * its data goes under, whether this instance runs workers, the origin of await URLs. The module copies
 * their built values into Nuxt's private runtime config under `nvent`, so `NUXT_NVENT_<PATH>` environment
 * variables override them (`NUXT_NVENT_CONNECTIONS_REDIS_URL`, `NUXT_NVENT_STORE_SCHEMA`…); the server
 * reads them back when it starts. Everything else is fixed by the build.
 */
import type { ResolvedNventOptions } from './types/options'

type Kind = 'string' | 'number' | 'boolean'

export const RUNTIME_OPTIONS: Readonly<Record<string, Kind>> = {
  'workers': 'boolean',
  'connections.file.dataDir': 'string',
  'connections.redis.url': 'string',
  'connections.redis.host': 'string',
  'connections.redis.port': 'number',
  'connections.redis.password': 'string',
  'connections.redis.db': 'number',
  'connections.redis.tls': 'boolean',
  'connections.redis.timeout': 'number',
  'connections.postgres.connectionString': 'string',
  'connections.postgres.host': 'string',
  'connections.postgres.port': 'number',
  'connections.postgres.database': 'string',
  'connections.postgres.user': 'string',
  'connections.postgres.password': 'string',
  'connections.postgres.max': 'number',
  'connections.postgres.timeout': 'number',
  'queue.prefix': 'string',
  'queue.schema': 'string',
  'store.prefix': 'string',
  'store.schema': 'string',
  'stream.prefix': 'string',
  'webhooks.baseUrl': 'string',
}

/** `connections.redis.url` → `NUXT_NVENT_CONNECTIONS_REDIS_URL`, as Nuxt names the variable that overrides it. */
export function envNameOf(path: string): string {
  return `NUXT_NVENT_${path.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase()}`
}

const valueAt = (source: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], source)

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  const parent = keys.slice(0, -1).reduce((node, key) => (node[key] ??= {}) as Record<string, unknown>, target)
  parent[keys.at(-1)!] = value
}

/** The runtime config of the built options: every runtime option, '' where it is unset (so a variable can set it). */
export function runtimeConfigOf(options: ResolvedNventOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  for (const path of Object.keys(RUNTIME_OPTIONS))
    setAt(config, path, valueAt(options, path) ?? '')
  return config
}

/**
 * The built options with what the runtime config says at start. Variables arrive parsed (`"6379"` is a
 * number, `"true"` a boolean), so a string option takes any of them as text; a number or boolean option
 * given something else is refused, naming the variable.
 */
export function withRuntimeConfig(options: ResolvedNventOptions, config: unknown): ResolvedNventOptions {
  const resolved = structuredClone(options) as unknown as Record<string, unknown>
  for (const [path, kind] of Object.entries(RUNTIME_OPTIONS)) {
    const value = valueAt(config, path)
    if (value === undefined || value === '')
      continue
    setAt(resolved, path, coerce(value, kind, path))
  }
  return resolved as unknown as ResolvedNventOptions
}

function coerce(value: unknown, kind: Kind, path: string): unknown {
  if (kind === 'string')
    return String(value)
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value))
    return value
  if (kind === 'boolean' && (typeof value === 'boolean' || value === 0 || value === 1))
    return Boolean(value)
  throw new Error(`nvent: runtime config nvent.${path} (${envNameOf(path)}) must be a ${kind}, got ${JSON.stringify(value)}`)
}
