/**
 * The run counters on Redis. The run scripts apply the change `runStatsDelta` computes (passed in their
 * arguments, encoded here) in the same script as the change of the run, so the counts never drift; a
 * store whose runs predate the counters builds them once as it opens.
 */
import { RUN_MINUTES_KEPT, type RunCounts, type RunStats } from '../../contracts/store'
import { RUN_STATUSES } from '../../types/run'
import { emptyMinute, minuteOf } from '../../contracts/store'
import type { RunStatsDelta } from '../shared/run-stats'
import type { StoreScripts } from './scripts'
import type { StoreKeys } from './store-keys'

/** How long a minute's figures live after its start: an hour over what runStats promises, so none is cut short. */
const MINUTE_TTL = RUN_MINUTES_KEPT + 60 * 60_000

/** The version of the global indexes and counters `rebuildIndexes.lua` builds; a new layout takes a new one. */
const INDEX_VERSION = '1'

/** The delta as the run scripts take it (see `applyRunStats` in `lua/helpers.lua`). */
export function statsArgs(delta: RunStatsDelta, now = Date.now()): (string | number)[] {
  const minute = delta.minute
  const expireAt = minute ? minute.minute + MINUTE_TTL : 0
  // A minute that would expire at once is not written at all.
  const head = minute && expireAt > now ? [minute.minute, minute.field, expireAt] : ['', '', 0]
  return [...head, delta.counts.length, ...delta.counts.flatMap(change => [`${change.flow}\0${change.key}`, change.by])]
}

export async function readRunStats(scripts: StoreScripts, keys: StoreKeys, since: number): Promise<RunStats> {
  const [counts, minutes] = await scripts.runStats([keys.runCounts, keys.runMinutes], [minuteOf(since)]) as [string[], (string | string[])[]]
  const flows: Record<string, RunCounts> = {}
  for (let i = 0; i < counts.length; i += 2) {
    // Count fields are `<flow>\0<key>`; the key never holds a \0, the flow name might.
    const field = counts[i]!
    const split = field.lastIndexOf('\0')
    const flow = field.slice(0, split)
    flows[flow] = { ...flows[flow], [field.slice(split + 1)]: Number(counts[i + 1]) }
  }
  const result: RunStats = { flows, minutes: [] }
  for (let i = 0; i < minutes.length; i += 2) {
    const minute = emptyMinute(Number(minutes[i]))
    const fields = minutes[i + 1] as string[]
    for (let f = 0; f < fields.length; f += 2) minute[fields[f] as Exclude<keyof typeof minute, 'minute'>] = Number(fields[f + 1])
    result.minutes.push(minute)
  }
  return result
}

/** Builds the global indexes and counts for runs written before they existed; does nothing once they are built. */
export async function rebuildIndexes(scripts: StoreScripts, keys: StoreKeys, prefix: string): Promise<void> {
  await scripts.rebuildIndexes(
    [keys.indexVersion, keys.flows, keys.allRuns, keys.runIds, keys.runCounts, ...RUN_STATUSES.map(keys.allStatusRuns)],
    [prefix, INDEX_VERSION, ...RUN_STATUSES],
  )
}
