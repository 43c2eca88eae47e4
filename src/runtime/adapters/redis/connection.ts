/**
 * The ioredis clients of the Redis backend. Per connection config and process, every adapter that names
 * the config shares one command client (the store, publishing, the queue's producer side), on which a
 * command that has no reply within `timeout` fails, connected or not, and is never sent after that.
 * Each queue's workers run on copies BullMQ makes of an unconnected template client, and each stream
 * subscribes on a connection of its own: those wait out an outage and carry on after it, as BullMQ
 * requires. The command client and subscribers report connection failures to their server's outage log;
 * the workers report theirs through their error events (worker.ts).
 */
import { type Command, Redis, type RedisOptions } from 'ioredis'
import { defaultOptions } from '../../defaults'
import { NventError } from '../../errors'
import { type OutageLog, outageLog } from '../shared/outage'
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
  /**
   * Milliseconds a call (store, publish, the queue's producer side) waits for an unreachable or
   * unresponsive server before it fails. Workers and subscriptions wait out an outage instead. @default 10000
   */
  timeout?: number
}

/** A hold on a shared client; `release` it exactly once. */
export interface RedisLease {
  client: Redis
  /** The options the client was made from, for the connections its holder opens beside it. */
  options: RedisConnectionOptions
  release(): Promise<void>
}

const commandClients = new SharedResources<RedisConnectionOptions, Redis>(options => new CommandClient(options), quit)

/** Takes a hold on the command client for `options`, connecting it on first use. */
export function acquireConnection(options: RedisConnectionOptions): RedisLease {
  const { value, release } = commandClients.acquire(options)
  return { client: value, options, release }
}

/**
 * The client a queue's BullMQ workers are made from. BullMQ connects copies of it, never the client itself,
 * so it stays unconnected (`disconnect` it when done); the copies wait out an outage however long it
 * lasts, as BullMQ's workers require.
 */
export function workerTemplate(options: RedisConnectionOptions): Redis {
  const [url, settings] = clientArguments(options, { lazyConnect: true })
  return url ? new Redis(url, settings) : new Redis(settings)
}

/** A new connection for SUBSCRIBE, which waits out an outage and resubscribes after it; `quit` it when done. */
export function openSubscriber(options: RedisConnectionOptions): Redis {
  const [url, settings] = clientArguments(options, {})
  const client = url ? new Redis(url, settings) : new Redis(settings)
  reportOutages(client)
  return client
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

/**
 * The command client. ioredis keeps a command made while disconnected in its offline queue until the
 * connection is back, however long that takes, and sends a command whose connection broke before its
 * reply again once it is back; here each command waits at most `timeout` for its reply, and one that ran
 * out of time is skipped when it would be sent or sent again, never sent behind its caller's back. (Not
 * re-sending a broken command would leave it hanging until its deadline and then fail it, and with it a
 * step in the middle of a restart, though its caller is still waiting. What the engine sends is mostly
 * safe to repeat: a transition is a compare-and-set, an enqueue is keyed by its job id; an appended log
 * line may show twice.)
 */
class CommandClient extends Redis {
  /** Each command's deadline, once it was sent or queued, and whether it passed. */
  private readonly deadlines = new WeakMap<Command, { passed: boolean }>()
  private readonly timeout: number
  private readonly outage: OutageLog
  /** Why the connection is down, while it is. */
  private lastError?: Error

  constructor(options: RedisConnectionOptions) {
    const [url, settings] = clientArguments(options, {})
    // ioredis skips an undefined URL and takes everything from the settings.
    super(url as string, settings)
    this.timeout = options.timeout ?? defaultOptions.connections.redis.timeout
    this.outage = reportOutages(this)
    this.on('error', error => this.lastError = error)
    this.on('ready', () => this.lastError = undefined)
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const deadline = this.deadlines.get(command)
    // Ran out of time while queued (the queue is flushed on reconnect): its caller was told it failed.
    if (deadline?.passed)
      return command.promise
    if (!deadline)
      this.startDeadline(command)
    this.coalesceWrites()
    return super.sendCommand(command, stream)
  }

  /**
   * Holds the socket's writes until the end of this tick, so every command the engine sends in it leaves
   * in one write: a busy step path sends several at once, and on some hosts each write costs more CPU
   * than building the command. Unlike ioredis's auto-pipelining, no command waits for another's reply.
   */
  private coalesceWrites() {
    const socket = this.stream
    if (this.status !== 'ready' || !socket || socket.writableCorked)
      return
    socket.cork()
    setImmediate(() => socket.uncork())
  }

  private startDeadline(command: Command) {
    const deadline = { passed: false }
    this.deadlines.set(command, deadline)
    const timer = setTimeout(() => {
      deadline.passed = true
      const reason = this.status === 'ready' ? 'connected, no reply' : this.lastError?.message ?? this.status
      const error = new NventError(`nvent: Redis at ${this.outage.address} did not answer within ${this.timeout} ms (${reason})`, 503)
      this.outage.failed(error)
      command.reject(error)
    }, this.timeout)
    command.promise.then(() => {
      clearTimeout(timer)
      // A reply ends an outage in which the connection stayed up but the server did not answer.
      this.outage.recovered()
    }, () => clearTimeout(timer))
  }
}

/**
 * ioredis's arguments for `options`: the URL, if any, and the settings, with `extra` on top. No client
 * gives up after a number of reconnects: BullMQ refuses such clients, and the command client bounds its
 * calls by time instead.
 */
function clientArguments(options: RedisConnectionOptions, extra: RedisOptions): [string | undefined, RedisOptions] {
  // `timeout` is nvent's own bound, not an ioredis setting.
  const { url, tls, timeout: _timeout, ...fields } = options
  const settings: RedisOptions = {
    // A URL says where the server is; the separate fields (and their defaults) only apply without one.
    ...(url ? {} : definedFields(fields)),
    maxRetriesPerRequest: null,
    ...extra,
  }
  if (tls)
    settings.tls = tls === true ? {} : tls
  return [url, settings]
}

/**
 * Reports the client's connection failures and its reconnects to the outage log of its server. The
 * listener also keeps an unreachable server from crashing the process, while ioredis keeps reconnecting.
 */
function reportOutages(client: Redis): OutageLog {
  const outage = serverOutage(client)
  client.on('error', error => outage.failed(error))
  client.on('ready', () => outage.recovered())
  return outage
}

/** The outage log of the server `client` (or a duplicate of it) connects to. */
export function serverOutage(client: Redis): OutageLog {
  const { host, port, path } = client.options
  return outageLog('Redis', path ?? `${host}:${port}`)
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
