/** How the store's rows, event ids and page cursors read in TypeScript. */
import type { RunEvent, RunEventType } from '../../runtime/types/run'
import { decodeCursor } from '../shared/cursor'

export interface EventRow {
  run_id: string
  seq: number
  ts: number
  type: RunEventType
  flow_name: string
  step: string | null
  attempt: number | null
  data: unknown
  /** SQL NULL (the event had no data), which the driver reads as `null` just like JSON null. */
  no_data: boolean
}

/** Event ids are the run's event sequence, zero-padded so that they also sort as strings. */
export function eventId(seq: number): string {
  return String(seq).padStart(12, '0')
}

export function parseEventId(id: string): number {
  if (!/^\d+$/.test(id))
    throw new Error(`nvent: invalid event id "${id}"`)
  return Number(id)
}

/** Columns left NULL were absent from the event, so they stay absent. */
export function toRunEvent(row: EventRow): RunEvent {
  const event: RunEvent = { id: eventId(row.seq), ts: row.ts, type: row.type, runId: row.run_id, flowName: row.flow_name }
  if (row.step !== null)
    event.step = row.step
  if (row.attempt !== null)
    event.attempt = row.attempt
  if (!row.no_data)
    event.data = row.data
  return event
}

/** Where a page ended: the sort key of its last run. */
interface RunCursor {
  createdAt: number
  /** The run's insertion position (a bigint, kept as its decimal string). */
  position: string
}

export function decodeRunCursor(cursor: string): RunCursor {
  return decodeCursor<RunCursor>(cursor, p => typeof p.createdAt === 'number' && typeof p.position === 'string' && /^\d+$/.test(p.position))
}
