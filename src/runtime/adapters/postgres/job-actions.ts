/** Retrying and removing one job by hand, each one atomic step on pg-boss's job table. */
import type { AttemptContext } from './attempts'
import type { StoredJob } from './jobs'
import { pgBossId, retryLimit } from './jobs'
import { inTransaction } from './pool'
import { queueSql } from './queue-sql'
import { queryOnce, withReconnect } from './retry'

/**
 * The job's retry limit comes from its options, so the row is read and locked first. Re-run over a lost
 * connection only when the transaction surely rolled back, like every transaction of this adapter.
 */
export function retryFailedJob(ctx: AttemptContext, queue: string, id: string): Promise<boolean> {
  const bossId = pgBossId(id)
  return withReconnect(ctx.pool, `retrying job ${id} of queue "${queue}"`, 'idempotent', () => inTransaction(ctx.pool, async (client) => {
    const { rows: [failed] } = await client.query<{ data: StoredJob }>(queueSql.lockFailed(ctx.schema), [queue, bossId])
    if (!failed)
      return false
    await client.query(queueSql.retryFailed(ctx.schema), [queue, bossId, retryLimit(failed.data.opts)])
    return true
  }))
}

/** Sent again only if it never reached the server: sent twice, the second would answer false for a removed job. */
export async function removeJob(ctx: AttemptContext, queue: string, id: string): Promise<boolean> {
  const { rows } = await withReconnect(ctx.pool, `removing job ${id} of queue "${queue}"`, 'once', () => queryOnce(ctx.pool, queueSql.removeJob(ctx.schema), [queue, pgBossId(id)]))
  return rows.length > 0
}
