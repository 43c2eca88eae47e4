/**
 * The PostgreSQL backend: the queue on pg-boss, the store in typed tables, the stream on LISTEN/NOTIFY.
 * Adapters on the same connection options share one pool and one LISTEN connection in the process.
 */
import PgBoss from 'pg-boss'
import { DEFAULT_CRASH_RECOVERY, leaseMs } from '../shared/crash-recovery'
import type { QueueAdapter } from '../../contracts/queue'
import type { StoreAdapter } from '../../contracts/store'
import type { StreamAdapter } from '../../contracts/stream'
import type { Migration } from './migrations'
import { QUEUE_MIGRATIONS, STORE_MIGRATIONS, STREAM_MIGRATIONS, assertSchemaName, migrate } from './migrations'
import type { PostgresQueueOptions, PostgresStoreOptions, PostgresStreamOptions } from './options'
import type { Connection } from './pool'
import { openConnection } from './pool'
import { PostgresQueue } from './queue'
import { warnThrottled } from './retry'
import { PostgresStore } from './store'
import { eventsCap } from '../shared/logs'
import { PostgresStream } from './stream'

export type { PostgresConnectionOptions, PostgresQueueOptions, PostgresStoreOptions, PostgresStreamOptions } from './options'

const DEFAULT_RETENTION = { completed: { count: 1000 }, failed: { count: 5000 } }

/**
 * Retention is nvent's (by count and age, per job); pg-boss's own archiving would remove finished jobs
 * after 12 hours and never-started ones after 14 days, so it is pushed out of the way.
 */
const PG_BOSS_KEEP_SECONDS = 10 * 365 * 24 * 3600

export async function createPostgresQueue(options: PostgresQueueOptions): Promise<QueueAdapter> {
  const schema = assertSchemaName(options.schema ?? 'nvent_queue')
  const leaseSeconds = Math.ceil(leaseMs(options.crashRecovery ?? DEFAULT_CRASH_RECOVERY) / 1000)
  return withConnection(options.connection, async (connection) => {
    const { pool } = connection
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema,
      // Cron is the scheduler's business, not this adapter's.
      schedule: false,
      // Expiry hands a dead worker's jobs on; checking every lease bounds the wait at two leases.
      maintenanceIntervalSeconds: leaseSeconds,
      archiveCompletedAfterSeconds: PG_BOSS_KEEP_SECONDS,
      archiveFailedAfterSeconds: PG_BOSS_KEEP_SECONDS,
      retentionDays: PG_BOSS_KEEP_SECONDS / 86_400,
    })
    // pg-boss's maintenance and monitoring report failures here (each poll during an outage); without a
    // listener the emitter would throw them.
    boss.on('error', error => warnThrottled('pg-boss', `pg-boss: ${error.message}`))
    try {
      await migrate(pool, schema, 'queue', QUEUE_MIGRATIONS, () => boss.start().then(() => {}))
      const retention = { ...DEFAULT_RETENTION, ...options.retention }
      const queue = new PostgresQueue(connection, { boss, pool, schema, retention, leaseSeconds })
      await queue.open()
      return queue
    }
    catch (error) {
      // A started pg-boss keeps its maintenance timer, which would keep the process alive.
      await boss.stop({ graceful: false, close: false }).catch(() => {})
      throw error
    }
  })
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<StoreAdapter> {
  const schema = assertSchemaName(options.schema ?? 'nvent_store')
  const eventsPerRun = eventsCap(options.eventsPerRun)
  return withMigrated(options.connection, schema, 'store', STORE_MIGRATIONS, connection => new PostgresStore(connection, schema, eventsPerRun))
}

export async function createPostgresStream(options: PostgresStreamOptions): Promise<StreamAdapter> {
  const schema = assertSchemaName(options.schema ?? 'nvent_stream')
  const channel = options.channel ?? 'nvent'
  return withMigrated(options.connection, schema, 'stream', STREAM_MIGRATIONS, connection => new PostgresStream(connection, schema, channel))
}

function withMigrated<T>(connection: PostgresQueueOptions['connection'], schema: string, scope: string, migrations: Migration[], create: (connection: Connection) => T): Promise<T> {
  return withConnection(connection, async (opened) => {
    await migrate(opened.pool, schema, scope, migrations)
    return create(opened)
  })
}

/** Opens a share of the connection for an adapter, and gives it back if the adapter cannot start. */
async function withConnection<T>(options: PostgresQueueOptions['connection'], start: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = openConnection(options)
  try {
    return await start(connection)
  }
  catch (error) {
    await connection.release()
    throw error
  }
}
