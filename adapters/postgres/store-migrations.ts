/** The store's tables: runs, their events, keys, named logs and run state. */
import type { FinishedClass } from '../shared/finished-runs'
import type { Migration } from './migrations'

/**
 * The two kinds of finished run that `pruneRuns` keeps apart, as the predicates of their partial indexes
 * (version 3). A query must state the same predicate for the planner to use the index.
 */
export const FINISHED_RUNS = {
  completed: `status = 'completed'`,
  failed: `status IN ('failed', 'canceled', 'stalled')`,
} as const satisfies Record<FinishedClass, string>

export const STORE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'runs, run events and keys',
    sql: s => `
      CREATE TABLE ${s}.runs (
        id text PRIMARY KEY,
        flow_name text NOT NULL,
        status text NOT NULL,
        record jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- Insertion order: breaks ties between runs created in the same millisecond when paging.
        position bigserial NOT NULL,
        event_count integer NOT NULL DEFAULT 0
      );
      CREATE INDEX runs_by_flow ON ${s}.runs (flow_name, created_at DESC, position DESC);
      CREATE INDEX runs_by_flow_status ON ${s}.runs (flow_name, status, created_at DESC, position DESC);
      CREATE TABLE ${s}.run_events (
        run_id text NOT NULL REFERENCES ${s}.runs (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        ts timestamptz NOT NULL,
        type text NOT NULL,
        flow_name text NOT NULL,
        step text,
        attempt integer,
        data jsonb,
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE ${s}.kv (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        expires_at timestamptz
      );
      CREATE INDEX kv_expiry ON ${s}.kv (expires_at) WHERE expires_at IS NOT NULL;`,
  },
  {
    version: 2,
    name: 'named logs; kv keys in byte order',
    sql: s => `
      CREATE TABLE ${s}.logs (
        log text NOT NULL,
        seq bigserial NOT NULL,
        ts timestamptz NOT NULL DEFAULT clock_timestamp(),
        data jsonb NOT NULL,
        PRIMARY KEY (log, seq)
      );
      -- Under the "C" collation the primary key's index also serves prefix scans (LIKE 'p%') in the
      -- order kvEntries returns; under a locale collation every kvEntries would read the whole table.
      ALTER TABLE ${s}.kv ALTER COLUMN key TYPE text COLLATE "C";`,
  },
  {
    version: 3,
    name: 'finish times of runs for pruning; run state',
    sql: s => `
      ALTER TABLE ${s}.runs ADD COLUMN finished_at timestamptz;
      -- Runs that finished under an earlier version: their record says when (a record without the time
      -- counts from its last change, as new writes do).
      UPDATE ${s}.runs SET finished_at = coalesce(to_timestamp((record->>'finishedAt')::float8 / 1000), updated_at)
        WHERE ${FINISHED_RUNS.completed} OR ${FINISHED_RUNS.failed};
      -- Position breaks ties between runs finished in the same millisecond, so a count keeps exactly that many.
      CREATE INDEX runs_completed ON ${s}.runs (flow_name, finished_at, position) WHERE ${FINISHED_RUNS.completed};
      CREATE INDEX runs_failed ON ${s}.runs (flow_name, finished_at, position) WHERE ${FINISHED_RUNS.failed};
      CREATE TABLE ${s}.state (
        scope text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        expires_at timestamptz,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX state_expiry ON ${s}.state (expires_at) WHERE expires_at IS NOT NULL;`,
  },
]
