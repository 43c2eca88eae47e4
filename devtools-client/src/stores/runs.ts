/**
 * The runs table: filters, cursor paging, and live updates. A new run or a change to a listed one re-reads
 * the page (throttled), so the server applies the filters; while paused, or on a later page, new runs are
 * only counted.
 */
import { reactive, ref } from 'vue'
import type { RunQuery } from '../../../src/runtime/contracts/store'
import type { MonitorMessage } from '../../../src/runtime/types/monitor'
import type { RunEvent, RunEventType, RunStatus } from '../../../src/runtime/types/run'
import type { Transport } from '../transport/transport'
import { createLoader, throttle } from './loader'

export type RunFilters = Omit<RunQuery, 'limit' | 'cursor'>

const LIVE_REFRESH = 300

/** The status a run has after each of these events. */
const ENTERS: Partial<Record<RunEventType, RunStatus>> = {
  'flow.start': 'running',
  'flow.completed': 'completed',
  'flow.failed': 'failed',
  'flow.cancel': 'canceled',
  'flow.stalled': 'stalled',
}

/** Events that change nothing a row shows (status, step counts, awaiting). */
const UNSEEN: readonly RunEventType[] = ['log', 'emit', 'state', 'step.progress', 'trigger.fired']

export function createRunsStore(transport: Transport, pageSize = 25) {
  const filters = reactive<RunFilters>({})
  /** Only runs created within this many ms before the first page was read; `from` of the query. */
  const within = ref<number>()
  /** Cursors of the pages before the current one; the first page has none. */
  const cursors = ref<Array<string | undefined>>([undefined])
  const paused = ref(false)
  /** New runs not shown: started while paused, or while a later page is shown. */
  const missed = ref(0)
  /** The window's start, fixed when the first page is read so later pages page through the same runs. */
  let windowFrom: number | undefined
  const loader = createLoader(() => {
    if (onFirstPage())
      windowFrom = within.value === undefined ? undefined : Date.now() - within.value
    return transport.reads.runs({ ...clean(filters), ...(windowFrom !== undefined && { from: windowFrom }), limit: pageSize, cursor: cursors.value.at(-1) })
  })
  // Paused in the meantime: the rows stay as they are.
  const refreshSoon = throttle(() => {
    if (!paused.value)
      void loader.refresh()
  }, LIVE_REFRESH)

  function onFirstPage() {
    return cursors.value.length === 1
  }

  /** Whether the event brings a run into the filtered list: it starts, or it enters the status filtered for. */
  function enters(event: RunEvent): boolean {
    const status = ENTERS[event.type]
    if (!status || (filters.status ? status !== filters.status : event.type !== 'flow.start'))
      return false
    return (!filters.flow || event.flowName === filters.flow)
      && (!filters.idPrefix || event.runId.startsWith(filters.idPrefix))
      && (filters.to === undefined || event.ts < filters.to)
  }

  /** Applies changed filters from the first page on. */
  async function search() {
    cursors.value = [undefined]
    missed.value = 0
    await loader.refresh()
  }

  return {
    ...loader,
    filters,
    within,
    paused,
    missed,
    pageSize,
    page: () => cursors.value.length,
    hasPrevious: () => !onFirstPage(),
    hasNext: () => Boolean(loader.data.value?.cursor),
    /** The rows shown, counted from 1 (`from` 0 when there are none), and the matches in all. */
    range() {
      const page = loader.data.value
      const from = page?.items.length ? (cursors.value.length - 1) * pageSize + 1 : 0
      return { from, to: from === 0 ? 0 : from + page!.items.length - 1, total: page?.total ?? 0 }
    },
    async next() {
      const cursor = loader.data.value?.cursor
      if (!cursor)
        return
      cursors.value = [...cursors.value, cursor]
      await loader.refresh()
    },
    async previous() {
      if (onFirstPage())
        return
      cursors.value = cursors.value.slice(0, -1)
      // Back on the first page, live, the read shows the runs counted meanwhile.
      if (onFirstPage() && !paused.value)
        missed.value = 0
      await loader.refresh()
    },
    search,
    /** Pausing freezes the rows; resuming with runs missed shows them, from the first page. */
    async setPaused(value: boolean) {
      paused.value = value
      if (!value && missed.value > 0)
        await search()
    },
    apply(message: MonitorMessage) {
      if (message.type !== 'run.event')
        return
      const { event } = message
      const listed = loader.data.value?.items.some(run => run.id === event.runId)
      if (!listed && enters(event)) {
        if (paused.value || !onFirstPage())
          missed.value++
        else
          refreshSoon()
      }
      // A read in flight may have missed this change of a run it is about to list: read once more.
      else if ((listed || loader.loading.value) && !paused.value && !UNSEEN.includes(event.type)) {
        refreshSoon()
      }
    },
  }
}

export type RunsStore = ReturnType<typeof createRunsStore>

/** The filters without empty fields: an empty search box filters nothing. */
function clean(filters: RunFilters): RunFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '')) as RunFilters
}
