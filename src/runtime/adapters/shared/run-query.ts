/**
 * Argument rules for `listRuns`, shared so every backend refuses the same queries with the same words
 * (400, naming the field and the value) instead of answering a wrong page.
 */
import type { RunQuery } from '../../contracts/store'
import { NventError } from '../../errors'
import { RUN_STATUSES } from '../../types/run'
import { quoteCursor } from './cursor'

const DEFAULT_LIMIT = 50
const MAX_ID_PREFIX = 200

/** The query with its limit filled in, or a 400 naming the first field that is wrong. */
export function checkRunQuery(query: RunQuery = {}): RunQuery & { limit: number } {
  const { flow, status, idPrefix, from, to, limit = DEFAULT_LIMIT } = query
  if (flow !== undefined && (typeof flow !== 'string' || flow.length === 0))
    refuse('flow', flow, 'a flow name')
  if (status !== undefined && !RUN_STATUSES.includes(status))
    refuse('status', status, `one of ${RUN_STATUSES.join(', ')}`)
  if (idPrefix !== undefined && (typeof idPrefix !== 'string' || idPrefix.length === 0 || idPrefix.length > MAX_ID_PREFIX))
    refuse('idPrefix', idPrefix, `a string of 1 to ${MAX_ID_PREFIX} characters`)
  for (const [field, time] of [['from', from], ['to', to]] as const) {
    if (time !== undefined && !Number.isSafeInteger(time))
      refuse(field, time, 'a time in milliseconds since the epoch')
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
    refuse('limit', limit, 'an integer from 1 to 1000')
  return { ...query, limit }
}

function refuse(field: string, value: unknown, expected: string): never {
  throw new NventError(`nvent: runs query: ${field} must be ${expected}, got ${quoteCursor(typeof value === 'string' ? value : JSON.stringify(value))}`, 400)
}
