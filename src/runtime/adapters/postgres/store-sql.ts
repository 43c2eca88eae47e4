/**
 * Every statement of the PostgreSQL store, by name (run state and retention have theirs in `./store-state`
 * and `./store-retention`). Times cross as milliseconds since the epoch (the record's own unit) and are
 * kept as timestamptz; a run's transition, its events and its counter deltas are one statement.
 */
import { insertDelta } from './run-counters'

/** A timestamptz from a parameter in milliseconds (NULL stays NULL). */
export const fromMs = (param: string) => `to_timestamp(${param}::float8 / 1000)`
/** Milliseconds since the epoch from a timestamptz column. */
const toMs = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8`

/** When a key set now with a TTL of `ttl` ms (a parameter, NULL for none) expires, on the database clock. */
export function expiry(ttl: string): string {
  return `CASE WHEN ${ttl}::float8 IS NULL THEN NULL ELSE clock_timestamp() + ${ttl}::float8 * interval '1 millisecond' END`
}

/** A LIKE pattern (used with ESCAPE '\') for the strings starting with `prefix`: its `\`, `%` and `_` escaped. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`
}

/**
 * Inserts the events of `$events` (a JSON array) for the run the CTE `run` returned, numbered after
 * `run.base` in array order, all stamped `$ts`. Those the run's cap of `cap` events would drop at once
 * are left out: `trimEvents` in the same statement cannot see rows it inserts.
 */
function insertEvents(s: string, events: string, ts: string, cap: string): string {
  return `INSERT INTO ${s}.run_events (run_id, seq, ts, type, flow_name, step, attempt, data)
    SELECT run.id, run.base + e.ord, ${fromMs(ts)}, e.ev->>'type', e.ev->>'flowName', e.ev->>'step', (e.ev->>'attempt')::int, e.ev->'data'
    FROM run, jsonb_array_elements(${events}::jsonb) WITH ORDINALITY AS e(ev, ord)
    WHERE run.base + e.ord > run.event_count - ${cap}::int`
}

/**
 * Deletes the events of the CTE `run` that fall out of its newest `cap` (by `run.event_count`, the count
 * after this statement): a range of the primary key, touched only when the run has more than the cap.
 * Sequence numbers are not reused, so ids keep increasing after a trim.
 */
function trimEvents(s: string, cap: string): string {
  return `DELETE FROM ${s}.run_events AS old USING run
    WHERE run.event_count > ${cap}::int AND old.run_id = run.id AND old.seq <= run.event_count - ${cap}::int`
}

export const storeSql = {
  /**
   * $1 id, $2 flow, $3 status, $4 record, $5 createdAt, $6 updatedAt, $7 events, $8 ts, $9 finishedAt or
   * null, $10 events kept per run, $11 counter delta. No row if the id is taken.
   */
  createRun: (s: string) => `
    WITH run AS (
      INSERT INTO ${s}.runs (id, flow_name, status, record, created_at, updated_at, event_count, finished_at)
      VALUES ($1, $2, $3, $4::jsonb, ${fromMs('$5')}, ${fromMs('$6')}, jsonb_array_length($7::jsonb), ${fromMs('$9')})
      ON CONFLICT (id) DO NOTHING
      RETURNING id, 0 AS base, event_count
    ), events AS (${insertEvents(s, '$7', '$8', '$10')}), ${insertDelta(s, '$11')}
    SELECT base FROM run`,

  /**
   * $1 id, $2 status, $3 record, $4 updatedAt, $5 events, $6 ts, $7 finishedAt or null, $8 events kept per
   * run, $9 counter delta, $10 the record the transition was computed from. Optimistic: no row comes back
   * (nothing written) if the run is gone or its record is no longer $10 (another transition, or appended
   * events, changed it since).
   */
  replaceRun: (s: string) => `
    WITH run AS (
      UPDATE ${s}.runs SET status = $2, record = $3::jsonb, updated_at = ${fromMs('$4')}, finished_at = ${fromMs('$7')},
        event_count = event_count + jsonb_array_length($5::jsonb)
      WHERE id = $1 AND record = $10::jsonb
      RETURNING id, event_count - jsonb_array_length($5::jsonb) AS base, event_count
    ), events AS (${insertEvents(s, '$5', '$6', '$8')}), trimmed AS (${trimEvents(s, '$8')}), ${insertDelta(s, '$9')}
    SELECT base FROM run`,

  /**
   * $1 id, $2 events, $3 ts (also the run's new updatedAt), $4 events kept per run. No row if the run does
   * not exist.
   */
  appendEvents: (s: string) => `
    WITH run AS (
      UPDATE ${s}.runs SET updated_at = ${fromMs('$3')}, record = jsonb_set(record, '{updatedAt}', to_jsonb($3::bigint)),
        event_count = event_count + jsonb_array_length($2::jsonb)
      WHERE id = $1
      RETURNING id, event_count - jsonb_array_length($2::jsonb) AS base, event_count
    ), events AS (${insertEvents(s, '$2', '$3', '$4')}), trimmed AS (${trimEvents(s, '$4')})
    SELECT base FROM run`,

  /** $1 id. */
  getRun: (s: string) => `SELECT record FROM ${s}.runs WHERE id = $1`,

  /** $1 run id, $2 after seq, $3 limit or null for all. */
  readEvents: (s: string) => `
    SELECT run_id, seq, round(extract(epoch FROM ts) * 1000)::float8 AS ts, type, flow_name, step, attempt, data, data IS NULL AS no_data
    FROM ${s}.run_events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,

  /** $1 key. Expiry is judged by the database clock, the one every instance shares. */
  kvGet: (s: string) => `SELECT value FROM ${s}.kv WHERE key = $1 AND (expires_at IS NULL OR expires_at > clock_timestamp())`,

  /** $1 key, $2 value, $3 ttl in ms or null. */
  kvSet: (s: string) => `
    INSERT INTO ${s}.kv (key, value, expires_at) VALUES ($1, $2::jsonb, ${expiry('$3')})
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,

  /** $1 key. */
  kvDelete: (s: string) => `DELETE FROM ${s}.kv WHERE key = $1`,

  /** $1 key, $2 value, $3 ttl in ms or null. A row comes back only if this call took the key. */
  kvClaim: (s: string) => `
    INSERT INTO ${s}.kv AS current (key, value, expires_at) VALUES ($1, $2::jsonb, ${expiry('$3')})
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
      WHERE current.expires_at IS NOT NULL AND current.expires_at <= clock_timestamp()
    RETURNING true AS claimed`,

  /** Forgets expired keys and run state in one round trip; readers already treat them as absent. */
  sweepExpired: (s: string) => `
    WITH kv AS (DELETE FROM ${s}.kv WHERE expires_at <= clock_timestamp()),
      state AS (DELETE FROM ${s}.state WHERE expires_at <= clock_timestamp())
    SELECT 1`,

  /**
   * $1 LIKE pattern: the prefix with `\`, `%` and `_` escaped, then `%`. A fixed prefix on the "C"-collated
   * key is a range scan of the primary key, which also yields the byte order asked for.
   */
  kvEntries: (s: string) => `
    SELECT key, value FROM ${s}.kv
    WHERE key LIKE $1 ESCAPE '\\' AND (expires_at IS NULL OR expires_at > clock_timestamp())
    ORDER BY key COLLATE "C"`,

  /** $1 lock name. Held until the transaction ends. */
  lockLog: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',

  /**
   * $1 log, $2 data, $3 maxLength. The DELETE sees the log as it was before this INSERT, so it keeps the
   * newest maxLength - 1 entries there were, which with the new one makes maxLength.
   */
  appendLog: (s: string) => `
    WITH entry AS (
      INSERT INTO ${s}.logs (log, data) VALUES ($1, $2::jsonb) RETURNING seq, ts
    ), trimmed AS (
      DELETE FROM ${s}.logs WHERE log = $1 AND seq <= (
        SELECT seq FROM ${s}.logs WHERE log = $1 ORDER BY seq DESC OFFSET ($3::int - 1) LIMIT 1)
    )
    SELECT seq, ${toMs('ts')} AS ts FROM entry`,

  /** $1 log, $2 seq to read below or null for the newest, $3 limit. Newest first. */
  readLog: (s: string) => `
    SELECT seq, ${toMs('ts')} AS ts, data FROM ${s}.logs
    WHERE log = $1 AND ($2::bigint IS NULL OR seq < $2::bigint)
    ORDER BY seq DESC LIMIT $3`,
}
