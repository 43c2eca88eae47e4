/** Runs' event logs on Redis: one stream per run, whose entry ids are the event ids. */
import type { Redis } from 'ioredis'
import type { RunEvent, RunEventInput } from '../../types/run'
import { eventCursor } from '../shared/logs'
import { toJson } from './json'
import { STREAM_ID } from './store-logs'

/** The events of the stream at `key`, oldest first, after the event `after` if given. */
export async function readEvents(client: Redis, key: string, options: { after?: string, limit?: number }): Promise<RunEvent[]> {
  const start = options.after === undefined ? '-' : `(${eventCursor(options.after, STREAM_ID)}`
  const entries = options.limit === undefined
    ? await client.xrange(key, start, '+')
    : await client.xrange(key, start, '+', 'COUNT', options.limit)
  return entries.map(([id, fields]) => {
    const values = fieldMap(fields)
    return { ...JSON.parse(values.event!) as RunEventInput, id, ts: Number(values.ts) }
  })
}

/** The events as JSON, refusing what JSON would bend, naming the run. */
export function encodeEvents(runId: string, events: RunEventInput[]): string[] {
  return events.map(event => toJson(event, `an event of run "${runId}"`))
}

/** The events as stored, parsed from the JSON written (so the caller's objects stay theirs), with their stream ids and time. */
export function stamp(encoded: string[], ids: string[], ts: number): RunEvent[] {
  return encoded.map((json, i) => ({ ...JSON.parse(json) as RunEventInput, id: ids[i]!, ts }))
}

function fieldMap(fields: string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (let i = 0; i < fields.length; i += 2) values[fields[i]!] = fields[i + 1]!
  return values
}
