/**
 * Riding out a lost connection (a server restart, a failover): work that failed only because the
 * connection dropped is tried again, with backoff, once the pool can reach the server again.
 */
import type pg from 'pg'

/** How long one operation keeps retrying before its error is passed on. */
export const RETRY_BUDGET = 30_000
const FIRST_DELAY = 100
const MAX_DELAY = 2_000

/** Server codes: admin/crash shutdown (57P0x), connection exceptions (08xxx). Node socket codes. */
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'])
const CONNECTION_MESSAGES = /Connection terminated|not queryable|Connection ended|connection timeout|socket hang up/i

/** Errors of statements that certainly never reached the server, so even a non-idempotent one may be re-sent. */
const unsent = new WeakSet<object>()
/** Errors of a COMMIT whose result is unknown: the transaction may have been committed. */
const commitUnknown = new WeakSet<object>()

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

/** Runs `work`, retrying it on connection errors for up to `budget` ms; other errors pass at once. */
export async function withReconnect<T>(what: string, mode: RetryMode, work: () => Promise<T>, budget = RETRY_BUDGET): Promise<T> {
  const deadline = Date.now() + budget
  let delay = FIRST_DELAY
  for (let tries = 1; ; tries++) {
    try {
      return await work()
    }
    catch (error) {
      if (!retryable(error, mode) || Date.now() + delay > deadline)
        throw error
      if (tries === 1)
        warnThrottled(`retry:${what}`, `[nvent] ${what} failed, the PostgreSQL connection was lost (${(error as Error).message}); retrying`)
      await new Promise(resolve => setTimeout(resolve, delay))
      delay = Math.min(delay * 2, MAX_DELAY)
    }
  }
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
      broken = error as Error
    // pg refuses, without sending, a query on a client whose connection already failed.
    throw /not queryable/i.test((error as Error).message) ? markUnsent(error) : error
  }
  finally {
    client.release(broken)
  }
}

const warned = new Map<string, number>()
/** During an outage the same failure repeats on every connection; one line per source every 10 s is enough. */
export function warnThrottled(key: string, message: string) {
  const now = Date.now()
  if ((warned.get(key) ?? 0) > now - 10_000)
    return
  warned.set(key, now)
  console.warn(message)
}
