import pg from 'pg'
import { defaultOptions } from '../../defaults'
import { outageLog } from '../shared/outage'
import { SharedResources } from '../shared/shared-resource'
import { Listener } from './listener'
import type { PostgresConnectionOptions } from './options'
import { markCommitUnknown, markUnreachable, type Reach, reachOf, setReach } from './retry'

/** A share of the process-wide pool and LISTEN connection for one set of connection options. */
export interface Connection {
  readonly pool: pg.Pool
  readonly listener: Listener
  /** Gives the share back; the last one ends the pool and the LISTEN connection. */
  release(): Promise<void>
}

const shared = new SharedResources<PostgresConnectionOptions, Omit<Connection, 'release'>>(
  (options) => {
    const { max, timeout = defaultOptions.connections.postgres.timeout, ...client } = options
    // Every connect, the pool's and the LISTEN connection's, gives up after `timeout`.
    const config = { ...client, application_name: 'nvent', connectionTimeoutMillis: timeout }
    // pg's own reading of the config (connection string, environment, defaults) says where the server is.
    const { host, port } = new pg.Client(config)
    const reach: Reach = { outage: outageLog('PostgreSQL', `${host}:${port}`), timeout }
    const pool = new ReportingPool({ ...config, max }, reach)
    // A connection that breaks emits 'error': an idle one on the pool, a checked-out one on itself. Either
    // without a listener would crash the process; the pool drops the broken client, callers retry.
    const lost = (error: Error) => markUnreachable(error, reach)
    pool.on('error', lost)
    pool.on('connect', (client) => {
      client.on('error', lost)
      reach.outage.recovered()
    })
    return { pool, listener: new Listener(config, reach) }
  },
  async ({ pool, listener }) => {
    await listener.close()
    await pool.end()
  },
)

type ConnectCallback = Parameters<pg.Pool['connect']>[0]

/** The pool, reporting each failure to connect as one to reach its server (see `markUnreachable`). */
class ReportingPool extends pg.Pool {
  constructor(config: pg.PoolConfig, reach: Reach) {
    super(config)
    setReach(this, reach)
  }

  override connect(): Promise<pg.PoolClient>
  override connect(callback: ConnectCallback): void
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    // `pool.query` connects with a callback, everything else with the promise.
    if (callback)
      return super.connect((error, client, done) => callback(error && markUnreachable(error, reachOf(this)), client, done))
    return super.connect().catch((error: Error) => {
      throw markUnreachable(error, reachOf(this))
    })
  }
}

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
    throw markUnreachable(error, reachOf(pool))
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
