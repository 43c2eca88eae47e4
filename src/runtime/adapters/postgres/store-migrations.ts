/** The store's tables: runs, their events, keys, named logs, run state and the run counters. */
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
  {
    version: 4,
    name: 'runs newest first across flows, by status and by id prefix; run counters',
    sql: s => `
      -- No run changes until this commits: an instance of an earlier version would not count its change
      -- in the counts seeded below (CREATE INDEX takes this lock too; taken first, it is plain to see).
      LOCK TABLE ${s}.runs IN SHARE MODE;
      CREATE INDEX runs_newest ON ${s}.runs (created_at DESC, position DESC);
      CREATE INDEX runs_by_status ON ${s}.runs (status, created_at DESC, position DESC);
      -- The primary key serves LIKE 'prefix%' only under the "C" collation; this one under any.
      CREATE INDEX runs_by_id_prefix ON ${s}.runs (id text_pattern_ops);
      -- Counters as insert-only deltas, summed when read and folded now and then (./run-counters): no row
      -- is written by two runs' transitions, so their commits never queue on one hot row.
      CREATE TABLE ${s}.run_counts (
        flow_name text NOT NULL,
        key text NOT NULL,
        n bigint NOT NULL
      );
      -- Starts and ends by minute (ms since the epoch) and figure: 'started' or the status ended in.
      CREATE TABLE ${s}.run_minutes (
        minute bigint NOT NULL,
        field text NOT NULL,
        n bigint NOT NULL
      );
      -- The counts of the runs already there; from here on each change of a run adds its own delta.
      INSERT INTO ${s}.run_counts (flow_name, key, n)
        SELECT flow_name, status, count(*) FROM ${s}.runs GROUP BY flow_name, status
        UNION ALL
        SELECT flow_name, 'awaiting', count(*) FROM ${s}.runs
        WHERE status = 'running' AND jsonb_path_exists(record, '$.steps.* ? (@.status == "awaiting")')
        GROUP BY flow_name;`,
  },
]
