/**
 * What keeps the PostgreSQL store bounded: pruning a flow's finished runs (with their events and state),
 * the cap on each run's events, and the list of flows that have runs. Each statement walks an index over
 * what it touches, never every run.
 */
import type pg from 'pg'
import type { KeepRuns, RunRetention } from '../../contracts/store'
import type { RunRecord } from '../../types/run'
import { assertKeep, FINISHED_CLASSES, type FinishedClass, finishTime } from '../shared/finished-runs'
import { withReconnect } from './retry'
import { FINISHED_RUNS } from './store-migrations'
import { fromMs } from './store-sql'

/** Runs deleted per statement: each one's locks and rows stay small however many runs a prune removes. */
const PRUNE_BATCH = 500

const retentionSql = {
  /**
   * $1 flow, $2 count or null, $3 cutoff in ms or null. The (finished_at, position) below which the kind's
   * runs go, as text (exact, unlike a Date): the newest run beyond the count (plus one position, so it goes
   * too) or the cutoff, whichever removes more; no row when neither limit is given.
   */
  bound: (s: string, kind: FinishedClass) => `
    SELECT bound.finished_at::text AS finished_at, bound.position::text AS position FROM (
      (SELECT run.finished_at, run.position + 1 AS position FROM ${s}.runs run
        WHERE run.flow_name = $1 AND ${FINISHED_RUNS[kind]} AND $2::bigint IS NOT NULL
        ORDER BY run.finished_at DESC, run.position DESC OFFSET $2::bigint LIMIT 1)
      UNION ALL
      SELECT ${fromMs('$3')}, 0 WHERE $3::float8 IS NOT NULL
    ) bound
    -- Qualified, so that these sort the columns, not the text of the same names the query returns.
    ORDER BY bound.finished_at DESC, bound.position DESC LIMIT 1`,

  /**
   * $1 flow, $2 bound finished_at, $3 bound position, $4 batch size. Deletes the oldest finished runs of the
   * kind below the bound, their events (by the foreign key's cascade) and their state, takes them out of
   * the counts, and counts them. The counts drop as `runStatsDelta(run, null)` says: by one for the run's
   * status, and never for `awaiting`, which a finished run is not.
   */
  prune: (s: string, kind: FinishedClass) => `
    WITH doomed AS (
      SELECT id FROM ${s}.runs
      WHERE flow_name = $1 AND ${FINISHED_RUNS[kind]} AND (finished_at, position) < ($2::timestamptz, $3::bigint)
      ORDER BY finished_at, position LIMIT $4
    ), removed AS (
      DELETE FROM ${s}.runs WHERE id IN (SELECT id FROM doomed) RETURNING id, status
    ), cleared AS (
      DELETE FROM ${s}.state WHERE scope IN (SELECT id FROM removed)
    ), uncounted AS (
      INSERT INTO ${s}.run_counts (flow_name, key, n) SELECT $1, status, -count(*) FROM removed GROUP BY status
    )
    SELECT count(*)::int AS removed FROM removed`,

  /**
   * The distinct flow names, one index probe per flow (a loose scan of `runs_by_flow`): as cheap with a
   * million runs as with ten, and exact after pruning, which a table of names filled by createRun is not.
   */
  flows: (s: string) => `
    WITH RECURSIVE flows AS (
      (SELECT flow_name FROM ${s}.runs ORDER BY flow_name LIMIT 1)
      UNION ALL
      SELECT (SELECT next.flow_name FROM ${s}.runs next WHERE next.flow_name > flows.flow_name ORDER BY next.flow_name LIMIT 1)
      FROM flows WHERE flows.flow_name IS NOT NULL
    )
    SELECT flow_name FROM flows WHERE flow_name IS NOT NULL`,
}

/** When the run finished, for the `finished_at` column, or null while it runs (migration 3 fills older rows the same way). */
export function finishedAt(run: RunRecord): number | null {
  return finishTime(run) ?? null
}

/** Removes the flow's finished runs beyond `keep`, each kind on its own; resolves how many went. */
export async function pruneRuns(pool: pg.Pool, schema: string, flowName: string, keep: RunRetention): Promise<number> {
  // Refused before anything is deleted, so a bad second class does not leave the first one pruned.
  assertKeep(keep)
  let removed = 0
  for (const kind of FINISHED_CLASSES)
    removed += await pruneKind(pool, schema, flowName, kind, keep[kind])
  return removed
}

/** Every flow that has runs. */
export async function listFlows(pool: pg.Pool, schema: string): Promise<string[]> {
  const { rows } = await withReconnect(pool, 'listing flows', 'idempotent', () => pool.query(retentionSql.flows(schema)))
  return rows.map(row => row.flow_name as string)
}

async function pruneKind(pool: pg.Pool, schema: string, flowName: string, kind: FinishedClass, keep: KeepRuns): Promise<number> {
  const what = `pruning ${kind} runs of flow "${flowName}"`
  // `finishedAt` is written by the engine's clock, so the age counts by the same one.
  const cutoff = keep.age === undefined ? null : Date.now() - keep.age
  const { rows: [bound] } = await withReconnect(pool, what, 'idempotent', () => pool.query(retentionSql.bound(schema, kind), [flowName, keep.count ?? null, cutoff]))
  if (!bound)
    return 0
  // Deletes are safe to send again; one whose answer was lost is not counted, the runs are gone all the same.
  let removed = 0
  while (true) {
    const { rows } = await withReconnect(pool, what, 'idempotent', () => pool.query(retentionSql.prune(schema, kind), [flowName, bound.finished_at, bound.position, PRUNE_BATCH]))
    removed += rows[0].removed
    if (rows[0].removed < PRUNE_BATCH)
      return removed
  }
}
