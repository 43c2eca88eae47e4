import pg from 'pg'
import { SharedResources } from '../shared/shared-resource'
import { Listener } from './listener'
import type { PostgresConnectionOptions } from './options'
import { markCommitUnknown, warnThrottled } from './retry'

/** A share of the process-wide pool and LISTEN connection for one set of connection options. */
export interface Connection {
  readonly pool: pg.Pool
  readonly listener: Listener
  /** Gives the share back; the last one ends the pool and the LISTEN connection. */
  release(): Promise<void>
}

const shared = new SharedResources<PostgresConnectionOptions, Omit<Connection, 'release'>>(
  (options) => {
    const { max, ...client } = options
    const config = { ...client, application_name: 'nvent' }
    const pool = new pg.Pool({ ...config, max })
    // A connection that breaks emits 'error': an idle one on the pool, a checked-out one on itself. Either
    // without a listener would crash the process; the pool drops the broken client, callers retry.
    const lost = (error: Error) => warnThrottled('pool', `[nvent] a PostgreSQL connection was lost: ${error.message}`)
    pool.on('error', lost)
    pool.on('connect', client => client.on('error', lost))
    return { pool, listener: new Listener(config) }
  },
  async ({ pool, listener }) => {
    await listener.close()
    await pool.end()
  },
)

/** Opens (or joins) the pool for `options`: adapters of every kind on the same database share it. */
export function openConnection(options: PostgresConnectionOptions): Connection {
  const { value, release } = shared.acquire(options)
  return { ...value, release }
}

/** Runs `work` in a transaction on one pooled client: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    const result = await work(client)
    // A COMMIT that fails in flight may still have committed: its error must not be read as a rollback.
    // One refused unsent (the connection had already failed) surely did not commit.
    await client.query('COMMIT').catch((error: Error) => {
      throw /not queryable/i.test(error.message) ? error : markCommitUnknown(error)
    })
    return result
  }
  catch (error) {
    // A connection that cannot even roll back is discarded rather than handed to the next caller.
    await client.query('ROLLBACK').catch((failure: Error) => broken = failure)
    throw error
  }
  finally {
    client.release(broken)
  }
}

/** Runs `work` while holding a session advisory lock named `key`, for steps that must not run concurrently anywhere. */
export async function underLock<T>(pool: pg.Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key])
    try {
      return await work()
    }
    finally {
      // A session that cannot unlock is discarded: ending it releases the lock.
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((error: Error) => broken = error)
    }
  }
  finally {
    client.release(broken)
  }
}
