/** Every statement of the PostgreSQL stream, by name. */

/** How long a stored large message waits for its listeners before it is deleted. */
const PAYLOAD_LIFETIME = `interval '5 minutes'`

export const streamSql = {
  /** $1 channel, $2 payload. */
  notify: () => 'SELECT pg_notify($1, $2)',

  /** $1 channel, $2 payloads (text[]): notified in the array's order, in one statement. */
  notifyAll: () => 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS sent(payload, n) ORDER BY n',

  /**
   * $1 channel, $2 topic, $3 message. Stores a message too large for NOTIFY and notifies its id; clears
   * stored messages old enough that every listener has fetched them.
   */
  publishStored: (s: string) => `
    WITH expired AS (DELETE FROM ${s}.stream_payloads WHERE created_at < now() - ${PAYLOAD_LIFETIME}),
    stored AS (INSERT INTO ${s}.stream_payloads (body) VALUES ($3::jsonb) RETURNING id)
    SELECT pg_notify($1, json_build_object('t', $2::text, 'r', id)::text) FROM stored`,

  /** $1 id. */
  readStored: (s: string) => `SELECT body FROM ${s}.stream_payloads WHERE id = $1`,
}
