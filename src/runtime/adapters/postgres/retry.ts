/**
 * Riding out a lost connection (a server restart, a failover): work that failed only because the
 * connection dropped is tried again, with backoff, once the pool can reach the server again, for as long
 * as the connection's `timeout` allows; then it fails with an error naming the server.
 */
import { consola } from 'consola'
import type pg from 'pg'
import { defaultOptions } from '../../defaults'
import { NventError } from '../../errors'
import { inOutage, type OutageLog } from '../shared/outage'

const FIRST_DELAY = 100
const MAX_DELAY = 2_000

/** Server codes: admin/crash shutdown (57P0x), connection exceptions (08xxx). Node socket codes. */
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'])
const CONNECTION_MESSAGES = /Connection terminated|not queryable|Connection ended|connection timeout|socket hang up/i

/** Errors of statements that certainly never reached the server, so even a non-idempotent one may be re-sent. */
const unsent = new WeakSet<object>()
/** Errors of a COMMIT whose result is unknown: the transaction may have been committed. */
const commitUnknown = new WeakSet<object>()

/** A server as its connections see it: its outage log, and how long a call waits for it. */
export interface Reach {
  outage: OutageLog
  /** Milliseconds, the connection's `timeout`. */
  timeout: number
}

/** The server of each pool `openConnection` made. */
const pools = new WeakMap<pg.Pool, Reach>()

/** Records that `pool` connects to the server of `reach`. */
export function setReach(pool: pg.Pool, reach: Reach) {
  pools.set(pool, reach)
}

/** The server `pool` connects to, if `openConnection` made it. */
export function reachOf(pool: pg.Pool): Reach | undefined {
  return pools.get(pool)
}

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error))
    return false
  const code = (error as { code?: unknown }).code
  return (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) || CONNECTION_MESSAGES.test(error.message)
}

export function markUnsent<E>(error: E): E {
  if (error instanceof Error)
    unsent.add(error)
  return error
}

export function markCommitUnknown<E>(error: E): E {
  if (error instanceof Error)
    commitUnknown.add(error)
  return error
}

/** A connection error on the way to the server of `reach`: counted in its outage log. */
export function markUnreachable<E>(error: E, reach: Reach | undefined): E {
  if (reach && isConnectionError(error))
    reach.outage.failed(error)
  return error
}

/**
 * `idempotent`: running the work twice is harmless (reads, upserts, a transaction that failed before its
 * COMMIT and so was rolled back). `once`: it must not be applied twice, so it is retried only when the
 * statement was never sent; a statement lost in flight may have been applied and is not re-sent.
 */
export type RetryMode = 'idempotent' | 'once'

function retryable(error: unknown, mode: RetryMode): boolean {
  if (!isConnectionError(error) || commitUnknown.has(error as object))
    return false
  return mode === 'idempotent' || unsent.has(error as object)
}

/**
 * Runs `work` on `pool`, retrying it on connection errors until the server's `timeout` (counted from the
 * call) would pass; other errors pass at once. A connection error is passed on as a 503 naming the server.
 */
export async function withReconnect<T>(pool: pg.Pool, what: string, mode: RetryMode, work: () => Promise<T>): Promise<T> {
  const reach = reachOf(pool)
  const started = Date.now()
  let delay = FIRST_DELAY
  while (true) {
    try {
      return await work()
    }
    catch (error) {
      if (!isConnectionError(error))
        throw error
      if (!retryable(error, mode))
        throw connectionFailure(`lost the connection while ${what}, which may have been applied`, error as Error, reach)
      const timeout = reach?.timeout ?? defaultOptions.connections.postgres.timeout
      if (Date.now() + delay - started > timeout)
        throw connectionFailure(`did not answer within ${timeout} ms: ${what} failed`, error as Error, reach)
      await new Promise(resolve => setTimeout(resolve, delay))
      delay = Math.min(delay * 2, MAX_DELAY)
    }
  }
}

function connectionFailure(happened: string, error: Error, reach: Reach | undefined): NventError {
  const server = reach ? `PostgreSQL at ${reach.outage.address}` : 'PostgreSQL'
  const failure = new NventError(`nvent: ${server} ${happened} (${error.message})`, 503)
  failure.cause = error
  return failure
}

/**
 * One statement on a pooled client, telling apart a failure to get a working connection (the statement
 * was not sent) from a failure while it ran (it may have been applied).
 */
export async function queryOnce<R extends pg.QueryResultRow = any>(pool: pg.Pool, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
  let client: pg.PoolClient
  try {
    client = await pool.connect()
  }
  catch (error) {
    throw markUnsent(error)
  }
  let broken: Error | undefined
  try {
    return await client.query<R>(text, values)
  }
  catch (error) {
    if (isConnectionError(error))
      broken = markUnreachable(error as Error, reachOf(pool))
    // pg refuses, without sending, a query on a client whose connection already failed.
    throw /not queryable/i.test((error as Error).message) ? markUnsent(error) : error
  }
  finally {
    client.release(broken)
  }
}

const warned = new Map<string, number>()
/**
 * Warns about a failure that repeats on every connection or poll: not at all while a PostgreSQL outage is
 * being counted (the outage log speaks for it), else one line per source every 10 s.
 */
export function warnThrottled(key: string, message: string) {
  if (inOutage('PostgreSQL'))
    return
  const now = Date.now()
  if ((warned.get(key) ?? 0) > now - 10_000)
    return
  warned.set(key, now)
  consola.withTag('nvent').warn(message)
}
