/** Pages of runs, newest first, from the sorted-set indexes the run scripts keep (`lua/listRuns.lua`). */
import type { Redis } from 'ioredis'
import type { RunQuery } from '../../contracts/store'
import type { RunPage, RunRecord, RunStatus } from '../../types/run'
import type { StoreScripts } from './scripts'
import type { StoreKeys } from './store-keys'
import { decodeCursor, encodeCursor } from '../shared/cursor'
import { checkRunQuery } from '../shared/run-query'

/** Where a page ended: the index entry of its last run. Opaque to callers. */
interface PagePosition {
  score: string
  member: string
}

export async function listRuns(client: Redis, scripts: StoreScripts, keys: StoreKeys, query?: RunQuery): Promise<RunPage> {
  const { flow, status, idPrefix, from, to, limit, cursor } = checkRunQuery(query)
  const after = cursor === undefined ? undefined : decodeCursor<PagePosition>(cursor, isPagePosition)
  const [total, rows] = await scripts.listRuns(
    [runIndex(keys, flow, status), keys.runIds],
    [limit, after?.score ?? '', after?.member ?? '', from ?? '', to ?? '', idPrefix ?? ''],
  ) as [number, string[]]
  const entries: PagePosition[] = []
  for (let i = 0; i < rows.length; i += 2) entries.push({ member: rows[i]!, score: rows[i + 1]! })
  const page = entries.slice(0, limit)
  const items = await readRecords(client, keys, page.map(entry => runIdOf(entry.member)))
  const last = page.at(-1)
  return {
    items,
    total,
    cursor: entries.length > limit && last ? encodeCursor(last) : undefined,
  }
}

/** The narrowest index holding every run the flow and status filters let through: the script filters the rest. */
function runIndex(keys: StoreKeys, flow: string | undefined, status: RunStatus | undefined): string {
  if (flow === undefined)
    return status === undefined ? keys.allRuns : keys.allStatusRuns(status)
  return status === undefined ? keys.flowRuns(flow) : keys.statusRuns(flow, status)
}

/** Reads records in one round trip; the index never names a run that does not exist. */
async function readRecords(client: Redis, keys: StoreKeys, runIds: string[]): Promise<RunRecord[]> {
  if (runIds.length === 0)
    return []
  const pipeline = client.pipeline()
  for (const runId of runIds) pipeline.hmget(keys.run(runId), 'record', 'updatedAt')
  const replies = (await pipeline.exec()) ?? []
  return replies.map(([error, fields]) => {
    if (error)
      throw error
    return parseRecord(fields as (string | null)[])!
  })
}

/** The record from its hash fields `record` and `updatedAt` (which appended events move on their own). */
export function parseRecord([record, updatedAt]: (string | null)[]): RunRecord | null {
  if (record === null || record === undefined)
    return null
  const run = JSON.parse(record) as RunRecord
  run.updatedAt = Number(updatedAt)
  return run
}

/** A score of the index's form (a creation time in ms, which the script compares as a number) and a member of its form. */
function isPagePosition(position: { score?: unknown, member?: unknown }): boolean {
  return typeof position.score === 'string' && /^\d{1,16}$/.test(position.score)
    && typeof position.member === 'string' && /^\d{16}:/.test(position.member)
}

/** Index members are `<16-digit sequence>:<runId>`. */
function runIdOf(member: string): string {
  return member.slice(17)
}
