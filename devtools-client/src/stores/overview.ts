/**
 * The overview: counters over every flow, the last hour by the minute, queues, and the runs that are
 * active or awaiting now. Any run transition or queue count change re-reads it, throttled, so a burst of
 * events costs one read per window.
 */
import { computed } from 'vue'
import type { RunCounts } from '../../../src/runtime/contracts/store'
import type { MonitorMessage } from '../../../src/runtime/types/monitor'
import type { RunEventType } from '../../../src/runtime/types/run'
import type { Transport } from '../transport/transport'
import { createLoader, throttle } from './loader'

/** The counters shown, in this order, each also a column of the per-flow table. */
export const OVERVIEW_STATUSES = ['running', 'awaiting', 'completed', 'failed', 'canceled', 'stalled'] as const

export type OverviewStatus = typeof OVERVIEW_STATUSES[number]

const LIVE_REFRESH = 500

/** Events that change no count, list or minute: a chatty step's logs must not re-read the overview. */
const QUIET_EVENTS: ReadonlySet<RunEventType> = new Set(['log', 'step.progress', 'state', 'emit'])

export function createOverviewStore(transport: Transport, activeLimit = 10) {
  const overview = createLoader(() => transport.reads.overview())
  const active = createLoader(() => transport.reads.runs({ status: 'running', limit: activeLimit }))
  const awaiting = createLoader(() => transport.reads.awaits())
  const refreshAll = () => Promise.all([overview.refresh(), active.refresh(), awaiting.refresh()]).then(() => {})
  const refreshAllSoon = throttle(() => void refreshAll(), LIVE_REFRESH)
  const refreshOverviewSoon = throttle(() => void overview.refresh(), LIVE_REFRESH)

  /** Every counter, zero for a status without runs. */
  const totals = computed(() => countsOf(overview.data.value?.totals))
  /** Flows with runs, by name, with every counter. */
  const flows = computed(() => Object.entries(overview.data.value?.flows ?? {})
    .map(([name, counts]) => ({ name, counts: countsOf(counts) }))
    .sort((a, b) => a.name.localeCompare(b.name)))
  /** No run counted and none started within the hour: a fresh app, or every run pruned. */
  const empty = computed(() => {
    const data = overview.data.value
    return Boolean(data)
      && Object.values(totals.value).every(count => count === 0)
      && data!.minutes.every(minute => minute.started === 0)
  })

  return {
    overview,
    active,
    awaiting,
    totals,
    flows,
    empty,
    /** The first read, or one after messages were lost. */
    refresh: refreshAll,
    apply(message: MonitorMessage) {
      if (message.type === 'run.event' && !QUIET_EVENTS.has(message.event.type))
        refreshAllSoon()
      else if (message.type === 'queue.counts')
        refreshOverviewSoon()
    },
  }
}

export type OverviewStore = ReturnType<typeof createOverviewStore>

function countsOf(counts: RunCounts = {}): Record<OverviewStatus, number> {
  return Object.fromEntries(OVERVIEW_STATUSES.map(status => [status, counts[status] ?? 0])) as Record<OverviewStatus, number>
}
