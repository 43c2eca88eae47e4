/**
 * nvent's tables, created and changed only by numbered migrations. Each adapter kind has its own list
 * (its scope); applied versions are recorded per schema, so two kinds may share one schema.
 */
import type pg from 'pg'
import { inTransaction } from './pool'

export { STORE_MIGRATIONS } from './store-migrations'

export interface Migration {
  version: number
  /** What it does, for the record in `nvent_migrations`. */
  name: string
  /** The statements, given the schema name. */
  sql(schema: string): string
}

export const QUEUE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'queue pause flags and rate limiter starts',
    sql: s => `
      CREATE TABLE ${s}.nvent_queue_control (
        queue text PRIMARY KEY,
        paused boolean NOT NULL DEFAULT false
      );
      CREATE TABLE ${s}.nvent_queue_starts (
        queue text NOT NULL,
        started_at timestamptz NOT NULL
      );
      CREATE INDEX nvent_queue_starts_window ON ${s}.nvent_queue_starts (queue, started_at);`,
  },
  {
    version: 2,
    name: 'finished jobs by queue, state and age, for retention',
    // On pg-boss's partitioned job table: the queues' partitions get it, also those created later.
    sql: s => `CREATE INDEX nvent_job_finished ON ${s}.job (name, state, completed_on DESC, id DESC);`,
  },
]

export const STREAM_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'payloads too large for NOTIFY',
    sql: s => `
      CREATE TABLE ${s}.stream_payloads (
        id bigserial PRIMARY KEY,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX stream_payloads_age ON ${s}.stream_payloads (created_at);`,
  },
]

/** Unquoted in SQL (as pg-boss does), so a schema name must be a plain lower-case-able identifier. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_]\w{0,49}$/i.test(schema))
    throw new Error(`nvent: invalid PostgreSQL schema name "${schema}": use letters, digits and underscores (at most 50, not starting with a digit)`)
  return schema.toLowerCase()
}

/**
 * Applies the migrations of `scope` not yet recorded in `schema`, in one transaction under an advisory
 * lock on the schema, so instances starting together neither race nor see half a schema. `whileLocked`
 * runs under the same lock first (pg-boss's own install, which must not race either); on a schema that is
 * already current it runs without the lock (pg-boss then only checks its version).
 */
export async function migrate(pool: pg.Pool, schema: string, scope: string, migrations: Migration[], whileLocked?: () => Promise<void>) {
  if (await isCurrent(pool, schema, scope, migrations))
    return whileLocked?.()
  // Servers starting together on a fresh database can still collide on a catalog row (seen as a unique
  // violation on pg_namespace): the loser rolled back, so it applies again and now finds the work done.
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyMigrations(pool, schema, scope, migrations, whileLocked)
    }
    catch (error) {
      if (attempt >= 3 || !CATALOG_RACE.has((error as { code?: string }).code ?? ''))
        throw error
    }
  }
}

/** unique_violation, duplicate_schema, duplicate_table, duplicate_object. */
const CATALOG_RACE = new Set(['23505', '42P06', '42P07', '42710'])

async function applyMigrations(pool: pg.Pool, schema: string, scope: string, migrations: Migration[], whileLocked?: () => Promise<void>) {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`nvent:${schema}`])
    await whileLocked?.()
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.nvent_migrations (
      scope text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, version))`)
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${schema}.nvent_migrations WHERE scope = $1`, [scope])
    const applied = new Set(rows.map(row => row.version))
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version))
        continue
      await client.query(migration.sql(schema))
      await client.query(`INSERT INTO ${schema}.nvent_migrations (scope, version, name) VALUES ($1, $2, $3)`, [scope, migration.version, migration.name])
    }
  })
}

/** The usual start: everything applied already, which one query tells without taking the lock. */
async function isCurrent(pool: pg.Pool, schema: string, scope: string, migrations: Migration[]): Promise<boolean> {
  const { rows: [table] } = await pool.query('SELECT to_regclass($1) AS name', [`${schema}.nvent_migrations`])
  if (!table?.name)
    return false
  const { rows } = await pool.query(`SELECT count(*)::int AS applied FROM ${schema}.nvent_migrations WHERE scope = $1 AND version = ANY($2::int[])`, [scope, migrations.map(m => m.version)])
  return rows[0].applied === migrations.length
}
