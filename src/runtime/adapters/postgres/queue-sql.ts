/**
 * Every statement the queue runs itself, by name: reads of pg-boss's job table (pg-boss has no listing
 * or per-state counts), retention, exact retry times, retrying and removing a job by hand (pg-boss's
 * `retry` gives no fresh attempts, its `deleteJob` spares no running job), and nvent's pause flags and
 * rate limiter. Adding, fetching, completing and failing jobs go through pg-boss.
 */

/** The contract's state of a pg-boss job row; `delayed` is a job that may not start yet. */
const JOB_STATE = `CASE
    WHEN state IN ('created', 'retry') AND start_after > now() THEN 'delayed'
    WHEN state IN ('created', 'retry') THEN 'waiting'
    WHEN state = 'active' THEN 'active'
    WHEN state = 'completed' THEN 'completed'
    ELSE 'failed'
  END`

const epochMs = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8`

const JOB_COLUMNS = `id, data, ${JOB_STATE} AS state, output,
  ${epochMs('created_on')} AS created_at, ${epochMs('started_on')} AS started_at, ${epochMs('completed_on')} AS completed_at`

const ms = (param: string) => `${param}::float8 * interval '1 millisecond'`

/**
 * Whether a finished job is at or behind the first one past the `keep` newest of its queue and state
 * (false when `keep` is null). Walks the `nvent_job_finished` index from the newest: `keep` entries.
 */
const pastKept = (s: string, queue: string, state: string, keep: string) => `(${keep} IS NOT NULL AND (completed_on, id) <= (
      SELECT completed_on, id FROM ${s}.job WHERE name = ${queue} AND state = ${state}::${s}.job_state
      ORDER BY completed_on DESC, id DESC OFFSET ${keep} LIMIT 1))`

export const queueSql = {
  /** $1 queue, $2 pg-boss id. */
  getJob: (s: string) => `SELECT ${JOB_COLUMNS} FROM ${s}.job WHERE name = $1 AND id = $2`,

  /** $1 queue, $2 states, $3 limit, $4 offset. Newest first. */
  listJobs: (s: string) => `
    SELECT * FROM (SELECT ${JOB_COLUMNS} FROM ${s}.job WHERE name = $1) jobs
    WHERE state = ANY($2::text[])
    ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,

  /** $1 queue. One row per state that has jobs. */
  countJobs: (s: string) => `SELECT ${JOB_STATE} AS state, count(*)::int AS count FROM ${s}.job WHERE name = $1 GROUP BY 1`,

  /**
   * $1 queue, $2 pg-boss state ('completed' or 'failed'), $3 count to keep or null, $4 age to keep in ms
   * or null. Removes the oldest finished jobs beyond either limit: everything at or behind the first job
   * past the kept count, found on the `nvent_job_finished` index without counting the rest.
   */
  trimFinished: (s: string) => `
    DELETE FROM ${s}.job WHERE name = $1 AND state = $2::${s}.job_state
      AND (${pastKept(s, '$1', '$2', '$3::int')} OR completed_on <= now() - ${ms('$4')})`,

  /**
   * $1 queue, $2 pg-boss id, $3 output, $4 completed jobs to keep (at least 1) or null, $5 age to keep in
   * ms or null. Completes an active job as pg-boss's `complete` does and trims the completed jobs in the
   * same statement: one round trip, and nobody sees a completed job that retention should have removed.
   * The statement does not see its own completion, so it keeps one job fewer of the others.
   */
  completeAndTrim: (s: string) => `
    WITH done AS (
      UPDATE ${s}.job SET completed_on = now(), state = 'completed', output = $3::jsonb
      WHERE name = $1 AND id = $2::uuid AND state = 'active'
      RETURNING id
    ), trimmed AS (
      DELETE FROM ${s}.job WHERE name = $1 AND state = 'completed' AND EXISTS (SELECT 1 FROM done)
        AND (${pastKept(s, '$1', `'completed'`, '$4::int - 1')} OR completed_on <= now() - ${ms('$5')})
    )
    SELECT count(*)::int AS completed FROM done`,

  /** $1 queue, $2 pg-boss id. Leaves pg-boss no retries, so the failure it records next is final. */
  endRetries: (s: string) => `UPDATE ${s}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`,

  /**
   * $1 queue, $2 pg-boss id, $3 failures so far, $4 ms until a retry. Counts the failed attempt in the job
   * (pg-boss's retry count also counts runs cut off by a dying worker) and sets the exact retry time, which
   * pg-boss would round to whole seconds.
   */
  recordFailure: (s: string) => `
    UPDATE ${s}.job SET data = jsonb_set(data, '{failures}', to_jsonb($3::int)),
      start_after = CASE WHEN state = 'retry' THEN now() + ${ms('$4')} ELSE start_after END
    WHERE name = $1 AND id = $2`,

  /** $1 queue, $2 pg-boss id. The data of a job that failed for good (see `JOB_STATE`), locked until the transaction ends. */
  lockFailed: (s: string) => `SELECT data FROM ${s}.job WHERE name = $1 AND id = $2 AND state IN ('failed', 'cancelled') FOR UPDATE`,

  /**
   * $1 queue, $2 pg-boss id, $3 retry limit. Sends a failed job back to be fetched with a fresh set of
   * attempts: pg-boss's retry count and limit as at send, nvent's failure count gone, and the last
   * attempt's start, finish and output cleared (without a start, pg-boss's next fetch counts no retry).
   */
  retryFailed: (s: string) => `
    UPDATE ${s}.job SET state = 'retry', retry_count = 0, retry_limit = $3, data = data - 'failures',
      start_after = now(), started_on = NULL, completed_on = NULL, output = NULL
    WHERE name = $1 AND id = $2`,

  /**
   * $1 queue, $2 pg-boss id. Removes the job unless it is running; returns its row if it did. A fetch
   * that locked the job first makes this wait and then find it active.
   */
  removeJob: (s: string) => `DELETE FROM ${s}.job WHERE name = $1 AND id = $2 AND state <> 'active' RETURNING id`,

  /**
   * $1 queue, $2 pg-boss ids, $3 lease in seconds. Renews the expiry of jobs a live worker is running, so
   * only a dead worker's jobs expire and run again.
   */
  renewLeases: (s: string) => `
    UPDATE ${s}.job SET expire_in = (now() - started_on) + $3::float8 * interval '1 second'
    WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,

  /**
   * $1 queue. Ms until the next job of the queue that is not running may start (0 if one may start now:
   * it became due after the fetch looked), or null if there is none.
   */
  nextDue: (s: string) => `
    SELECT greatest(0, extract(epoch FROM min(start_after) - now()) * 1000) AS wait
    FROM ${s}.job WHERE name = $1 AND state < 'active'`,

  /** $1 queue. */
  ensureControl: (s: string) => `INSERT INTO ${s}.nvent_queue_control (queue) VALUES ($1) ON CONFLICT DO NOTHING`,

  /** $1 queue, $2 paused, $3 channel, $4 payload. The notification goes out when the flag is committed. */
  setPaused: (s: string) => `
    WITH flag AS (
      INSERT INTO ${s}.nvent_queue_control (queue, paused) VALUES ($1, $2)
      ON CONFLICT (queue) DO UPDATE SET paused = EXCLUDED.paused
      RETURNING queue
    )
    SELECT pg_notify($3, $4) FROM flag`,

  /** $1 queue. */
  isPaused: (s: string) => `SELECT paused FROM ${s}.nvent_queue_control WHERE queue = $1`,

  /** $1 queue. Serializes rate-limited fetches of the queue across instances until the transaction ends. */
  lockControl: (s: string) => `SELECT paused FROM ${s}.nvent_queue_control WHERE queue = $1 FOR UPDATE`,

  /**
   * $1 queue, $2 window in ms, $3 max. The starts still in the window, latest first (at most `max`), each
   * with the ms until it leaves the window; older starts are deleted.
   */
  limiterWindow: (s: string) => `
    WITH expired AS (DELETE FROM ${s}.nvent_queue_starts WHERE queue = $1 AND started_at <= clock_timestamp() - ${ms('$2')})
    SELECT extract(epoch FROM started_at + ${ms('$2')} - clock_timestamp()) * 1000 AS leaves_in
    FROM ${s}.nvent_queue_starts WHERE queue = $1 AND started_at > clock_timestamp() - ${ms('$2')}
    ORDER BY started_at DESC LIMIT $3`,

  /** $1 queue, $2 how many jobs just started. */
  recordStarts: (s: string) => `INSERT INTO ${s}.nvent_queue_starts (queue, started_at) SELECT $1, clock_timestamp() FROM generate_series(1, $2)`,

  /** $1 channel, $2 payload. */
  notify: () => 'SELECT pg_notify($1, $2)',
}
