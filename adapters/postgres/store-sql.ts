/**
 * Every statement of the PostgreSQL store, by name. Times cross as milliseconds since the epoch (the
 * record's own unit) and are kept as timestamptz; a run's transition and its events are one statement.
 */

const fromMs = (param: string) => `to_timestamp(${param}::float8 / 1000)`
const toMs = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8`

/**
 * Inserts the events of `$events` (a JSON array) for the run the CTE `run` returned, numbered after
 * `run.base` in array order, all stamped `$ts`.
 */
function insertEvents(s: string, events: string, ts: string): string {
  return `INSERT INTO ${s}.run_events (run_id, seq, ts, type, flow_name, step, attempt, data)
    SELECT run.id, run.base + e.ord, ${fromMs(ts)}, e.ev->>'type', e.ev->>'flowName', e.ev->>'step', (e.ev->>'attempt')::int, e.ev->'data'
    FROM run, jsonb_array_elements(${events}::jsonb) WITH ORDINALITY AS e(ev, ord)`
}

export const storeSql = {
  /** $1 id, $2 flow, $3 status, $4 record, $5 createdAt, $6 updatedAt, $7 events, $8 ts. No row if the id is taken. */
  createRun: (s: string) => `
    WITH run AS (
      INSERT INTO ${s}.runs (id, flow_name, status, record, created_at, updated_at, event_count)
      VALUES ($1, $2, $3, $4::jsonb, ${fromMs('$5')}, ${fromMs('$6')}, jsonb_array_length($7::jsonb))
      ON CONFLICT (id) DO NOTHING
      RETURNING id, 0 AS base
    ), events AS (${insertEvents(s, '$7', '$8')})
    SELECT base FROM run`,

  /** $1 id. Locks the run until the transaction ends. */
  lockRun: (s: string) => `SELECT record FROM ${s}.runs WHERE id = $1 FOR UPDATE`,

  /** $1 id, $2 status, $3 record, $4 updatedAt, $5 events, $6 ts. */
  replaceRun: (s: string) => `
    WITH run AS (
      UPDATE ${s}.runs SET status = $2, record = $3::jsonb, updated_at = ${fromMs('$4')},
        event_count = event_count + jsonb_array_length($5::jsonb)
      WHERE id = $1
      RETURNING id, event_count - jsonb_array_length($5::jsonb) AS base
    ), events AS (${insertEvents(s, '$5', '$6')})
    SELECT base FROM run`,

  /** $1 id, $2 events, $3 ts (also the run's new updatedAt). No row if the run does not exist. */
  appendEvents: (s: string) => `
    WITH run AS (
      UPDATE ${s}.runs SET updated_at = ${fromMs('$3')}, record = jsonb_set(record, '{updatedAt}', to_jsonb($3::bigint)),
        event_count = event_count + jsonb_array_length($2::jsonb)
      WHERE id = $1
      RETURNING id, event_count - jsonb_array_length($2::jsonb) AS base
    ), events AS (${insertEvents(s, '$2', '$3')})
    SELECT base FROM run`,

  /** $1 id. */
  getRun: (s: string) => `SELECT record FROM ${s}.runs WHERE id = $1`,

  /**
   * $1 flow, $2 status or null, $3 cursor createdAt or null, $4 cursor position, $5 limit. Newest first.
   * The total and the page come from one statement, so they see the same runs; an empty page is one row
   * with a null record.
   */
  pageRuns: (s: string) => `
    SELECT total.n AS total, page.record, page.position
    FROM (SELECT count(*)::int AS n FROM ${s}.runs WHERE flow_name = $1 AND ($2::text IS NULL OR status = $2)) total
    LEFT JOIN LATERAL (
      SELECT record, position FROM ${s}.runs
      WHERE flow_name = $1 AND ($2::text IS NULL OR status = $2)
        AND ($3::float8 IS NULL OR (created_at, position) < (${fromMs('$3')}, $4::bigint))
      ORDER BY created_at DESC, position DESC
      LIMIT $5
    ) page ON true`,

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

  /** Forgets expired keys; readers already treat them as absent. */
  kvSweep: (s: string) => `DELETE FROM ${s}.kv WHERE expires_at <= clock_timestamp()`,

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

function expiry(ttl: string): string {
  return `CASE WHEN ${ttl}::float8 IS NULL THEN NULL ELSE clock_timestamp() + ${ttl}::float8 * interval '1 millisecond' END`
}
