/** Options of the PostgreSQL backend, as `nvent.connections.postgres` and the adapters take them. */
import type { KeepJobs } from '../../contracts/queue'
import type { NventOptions } from '../../types/options'

/**
 * Where the database is: `nvent.connections.postgres`, documented there. Adapters given equal connection
 * options share one pool in the process; each process also opens one extra connection for LISTEN.
 * `timeout` (ms, default 10000) bounds every connect and how long a call retries a lost connection.
 */
export type PostgresConnectionOptions = NonNullable<NonNullable<NventOptions['connections']>['postgres']>

export interface PostgresQueueOptions {
  connection: PostgresConnectionOptions
  /** Schema of pg-boss's tables and nvent's queue tables (pause flags, rate limiter). @default 'nvent_queue' */
  schema?: string
  /** Finished jobs kept per queue, unless a job says otherwise. @default { completed: { count: 1000 }, failed: { count: 5000 } } */
  retention?: { completed?: KeepJobs, failed?: KeepJobs }
  /**
   * Milliseconds within which a job whose worker died runs again: a running job's expiry (renewed by its
   * live worker) lasts half of it, and pg-boss's expiry check runs every half. @default 60000
   */
  crashRecovery?: number
}

export interface PostgresStoreOptions {
  connection: PostgresConnectionOptions
  /** Schema of the runs, run_events, kv, logs and state tables. @default 'nvent_store' */
  schema?: string
  /**
   * Events kept in one run's log: each write that goes past it deletes the run's oldest events in the same
   * statement (ids are never reused). @default 10000 (`DEFAULT_EVENTS_PER_RUN`)
   */
  eventsPerRun?: number
}

export interface PostgresStreamOptions {
  connection: PostgresConnectionOptions
  /** The NOTIFY channel every instance of the app listens on. @default 'nvent' */
  channel?: string
  /** Schema of the table that carries messages too large for NOTIFY. @default 'nvent_stream' */
  schema?: string
}
