/**
 * The runs table's filters in the URL (`#/runs?flow=order&status=failed&id=ab&range=1h`), so other views
 * link to a filtered table and a reload keeps it.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { RunStatus } from '../../../src/runtime/types/run'
import { RUN_STATUSES } from '../../../src/runtime/types/run'

export const RANGES = [
  { key: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { key: '1h', label: 'Last hour', ms: 3_600_000 },
  { key: '1d', label: 'Last 24 h', ms: 86_400_000 },
] as const

export interface RunsQuery {
  flow?: string
  status?: RunStatus
  id?: string
  range?: typeof RANGES[number]['key']
}

export function parseRunsQuery(query: LocationQuery): RunsQuery {
  const text = (key: string) => {
    const value = query[key]
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const status = text('status')
  const range = text('range')
  return {
    flow: text('flow'),
    status: RUN_STATUSES.find(known => known === status),
    id: text('id'),
    range: RANGES.find(known => known.key === range)?.key,
  }
}

/** The URL query of `query`, without empty fields. */
export function runsQueryToUrl(query: RunsQuery): LocationQueryRaw {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''))
}

/** The window in ms of a range key. */
export function rangeMs(key: RunsQuery['range']): number | undefined {
  return RANGES.find(range => range.key === key)?.ms
}
