/**
 * One ioredis client per connection config and process, shared by every adapter kind (queue, store,
 * stream) that names the same config. Blocking and subscriber connections are duplicated from it by
 * their users; this pool only counts who holds the shared command client and quits it after the last.
 */
import { Redis, type RedisOptions } from 'ioredis'
import { SharedResources } from '../shared/shared-resource'

/** Where Redis is: the shape of `nvent.connections.redis`. */
export interface RedisConnectionOptions {
  /** `redis://[:password@]host[:port][/db]` (or `rediss://` for TLS); when set, host, port, password and db are ignored. */
  url?: string
  /** @default '127.0.0.1' */
  host?: string
  /** @default 6379 */
  port?: number
  password?: string
  /** @default 0 */
  db?: number
  /** `true` for TLS with Node's defaults, or Node `tls.connect` options. @default false */
  tls?: boolean | object
}

/** A hold on the shared client; `release` it exactly once. */
export interface RedisLease {
  client: Redis
  release(): Promise<void>
}

const pool = new SharedResources<RedisConnectionOptions, Redis>(createClient, quit)

/** Takes a hold on the client for `options`, connecting it on first use. */
export function acquireConnection(options: RedisConnectionOptions): RedisLease {
  const { value, release } = pool.acquire(options)
  return { client: value, release }
}

/**
 * Quits politely (pending replies arrive first) and resolves once the socket is closed, not merely
 * when Redis said OK; a client that cannot reach its server is dropped.
 */
export async function quit(client: Redis) {
  if (client.status === 'end')
    return
  const ended = new Promise(resolve => client.once('end', resolve))
  try {
    await client.quit()
  }
  catch {
    client.disconnect()
  }
  await ended
}

function createClient(options: RedisConnectionOptions): Redis {
  const { url, tls, ...fields } = options
  const settings: RedisOptions = {
    // A URL says where the server is; the separate fields (and their defaults) only apply without one.
    ...(url ? {} : definedFields(fields)),
    // BullMQ refuses clients (and their duplicates) that give up on a command after N reconnects.
    maxRetriesPerRequest: null,
  }
  if (tls)
    settings.tls = tls === true ? {} : tls
  const client = url ? new Redis(url, settings) : new Redis(settings)
  // Without a listener an unreachable server would crash the process; ioredis keeps reconnecting.
  client.on('error', error => console.error('[nvent] redis connection error:', error.message))
  return client
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
