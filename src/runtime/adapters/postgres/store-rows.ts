/** How the store's rows, event ids and page cursors read in TypeScript. */
import type { RunEvent, RunEventType } from '../../types/run'
import { decodeCursor } from '../shared/cursor'
import { eventCursor, SEQUENCE_ID } from '../shared/logs'

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

/** Largest `seq` of the events table (an integer column): no event lies beyond it, so a larger id reads as it. */
const MAX_SEQ = 2 ** 31 - 1

/** The sequence number of an event id; a refusal (400) for anything that is not one. */
export function parseEventId(id: string): number {
  return Math.min(Number(eventCursor(id, SEQUENCE_ID)), MAX_SEQ)
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
export interface RunCursor {
  createdAt: number
  /** The run's insertion position (a bigint, kept as its decimal string). */
  position: string
}

export function decodeRunCursor(cursor: string): RunCursor {
  // Kept to what the server reads as a timestamp and a bigint: anything past them it refuses rather than pages.
  return decodeCursor<RunCursor>(cursor, p => Number.isSafeInteger(p.createdAt) && p.createdAt >= 0 && typeof p.position === 'string' && /^\d{1,18}$/.test(p.position))
}
