/**
 * The counters behind `runStats` and the totals of `listRuns` by flow and status, on PostgreSQL. Each change
 * of a run inserts its delta (`runStatsDelta`) in the same statement or transaction as the change, as new
 * rows of `run_counts` and `run_minutes`: a counter row updated by every transition would make the commits
 * of all runs queue on its lock. Readers sum the rows; every FOLD_EVERY counted writes an instance folds
 * them into one row per counter (dropping minutes past RUN_MINUTES_KEPT), so reads stay small.
 */
import type pg from 'pg'
import type { RunCounts, RunMinute, RunStats } from '../../contracts/store'
import { RUN_MINUTES_KEPT } from '../../contracts/store'
import { emptyMinute, minuteOf } from '../../contracts/store'
import type { MinuteChange, RunCountKey, RunStatsDelta } from '../shared/run-stats'
import { warnThrottled, withReconnect } from './retry'

const FOLD_EVERY = 500

const countersSql = {
  /**
   * $1 oldest minute kept (ms). One statement, so readers see the deltas or their sums, never both. A fold
   * running alongside another waits for the rows the other deletes and then skips them, so each delta is
   * summed once; rows inserted after it began are not in its snapshot and stay for the next fold.
   */
  fold: (s: string) => `
    WITH counts AS (DELETE FROM ${s}.run_counts RETURNING flow_name, key, n),
      summed_counts AS (
        INSERT INTO ${s}.run_counts (flow_name, key, n)
        SELECT flow_name, key, sum(n) FROM counts GROUP BY flow_name, key HAVING sum(n) <> 0
      ),
      minutes AS (DELETE FROM ${s}.run_minutes RETURNING minute, field, n),
      summed_minutes AS (
        INSERT INTO ${s}.run_minutes (minute, field, n)
        SELECT minute, field, sum(n) FROM minutes WHERE minute >= $1 GROUP BY minute, field
      )
    SELECT 1`,

  /** $1 first minute (ms). Counts and minutes from one snapshot. */
  stats: (s: string) => `
    SELECT
      (SELECT coalesce(json_agg(c), '[]') FROM (
        SELECT flow_name AS flow, key, sum(n) AS n FROM ${s}.run_counts GROUP BY flow_name, key HAVING sum(n) <> 0
      ) c) AS counts,
      (SELECT coalesce(json_agg(m ORDER BY m.minute), '[]') FROM (
        SELECT minute, field, sum(n) AS n FROM ${s}.run_minutes WHERE minute >= $1 GROUP BY minute, field
      ) m) AS minutes`,
}

/** The delta as the JSON parameter `insertDelta` reads. */
export function encodeDelta(delta: RunStatsDelta): string {
  return JSON.stringify({
    counts: delta.counts.map(change => ({ flow: change.flow, key: change.key, n: change.by })),
    minutes: delta.minute ? [delta.minute] : [],
  })
}

/**
 * CTEs inserting the delta in parameter `param` (from `encodeDelta`), to follow a CTE `run` that yields a
 * row only when the run was written: a create that found the id taken counts nothing.
 */
export function insertDelta(s: string, param: string): string {
  return `counted AS (
      INSERT INTO ${s}.run_counts (flow_name, key, n)
      SELECT c.flow, c.key, c.n FROM run, jsonb_to_recordset(${param}::jsonb->'counts') AS c(flow text, key text, n int)
    ), minuted AS (
      INSERT INTO ${s}.run_minutes (minute, field, n)
      SELECT m.minute, m.field, 1 FROM run, jsonb_to_recordset(${param}::jsonb->'minutes') AS m(minute bigint, field text)
    )`
}

/**
 * A scalar subquery: how many runs there are of flow `flow` (a parameter, or null for every flow) with
 * status `status` (a parameter, or null for any: every count but `awaiting`, which also counts as running).
 */
export function countedRuns(s: string, flow: string | null, status: string | null): string {
  return `SELECT coalesce(sum(n), 0)::int FROM ${s}.run_counts
    WHERE ${flow === null ? 'true' : `flow_name = ${flow}`} AND ${status === null ? `key <> 'awaiting'` : `key = ${status}`}`
}

/** The store's side of the counters: reading them, and folding them after enough counted writes. */
export class RunCounters {
  private writes = 0

  constructor(private readonly pool: pg.Pool, private readonly schema: string) {}

  async stats(since: number): Promise<RunStats> {
    const { rows: [row] } = await withReconnect(this.pool, 'reading run counters', 'idempotent', () =>
      this.pool.query(countersSql.stats(this.schema), [minuteOf(since)]))
    const flows: Record<string, RunCounts> = {}
    for (const { flow, key, n } of row.counts as Array<{ flow: string, key: RunCountKey, n: number }>)
      (flows[flow] ??= {})[key] = n
    const minutes = new Map<number, RunMinute>()
    for (const { minute, field, n } of row.minutes as Array<{ minute: number, field: MinuteChange['field'], n: number }>) {
      const figures = minutes.get(minute) ?? emptyMinute(minute)
      figures[field] = n
      minutes.set(minute, figures)
    }
    return { flows, minutes: [...minutes.values()] }
  }

  /** Notes a write that may have inserted deltas; every FOLD_EVERY of them, folds in the background. */
  wrote() {
    if (++this.writes % FOLD_EVERY !== 0)
      return
    // The minutes are stamped by the engine's clock (`updatedAt`), so their age counts by the same one. A
    // fold that fails (a busy pool, an outage) loses nothing: the deltas wait for the next one.
    this.pool.query(countersSql.fold(this.schema), [minuteOf(Date.now() - RUN_MINUTES_KEPT)])
      .catch((error: Error) => warnThrottled('run counters', `folding run counters failed: ${error.message}`))
  }
}
