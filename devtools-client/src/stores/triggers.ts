/**
 * Triggers: the list with each one's schedule and subscribers, and the selected trigger's firings, paged
 * towards older ones. A trigger change re-reads the list; a run started by a firing also re-reads the
 * selected history's newest page, merged above the pages already loaded so "load older" keeps its place.
 */
import { ref, shallowRef } from 'vue'
import type { LogEntry } from '../../../src/runtime/contracts/store'
import type { MonitorMessage } from '../../../src/runtime/types/monitor'
import type { TriggerFiring, TriggerInfo } from '../../../src/runtime/types/trigger'
import type { Transport } from '../transport/transport'
import { createLoader, throttle } from './loader'
import { requireActions } from './require-actions'

const LIVE_REFRESH = 300

export function createTriggersStore(transport: Transport, historyPageSize = 20) {
  const list = createLoader(() => transport.reads.triggers())
  const selected = ref<string>()
  const history = shallowRef<LogEntry<TriggerFiring>[]>([])
  /** The `before` of the next older page; undefined once the oldest is loaded. */
  const olderCursor = ref<string>()
  const historyLoading = ref(false)
  const historyError = ref<string>()

  /** Reads one page of the selected trigger's history and hands it to `use`, unless the selection changed meanwhile. */
  async function readHistory(before: string | undefined, use: (page: { items: LogEntry<TriggerFiring>[], cursor?: string }) => void) {
    const name = selected.value
    if (name === undefined)
      return
    historyLoading.value = true
    try {
      const page = await transport.reads.triggerHistory(name, { before, limit: historyPageSize })
      if (selected.value === name) {
        use(page)
        historyError.value = undefined
      }
    }
    catch (caught) {
      if (selected.value === name)
        historyError.value = (caught as Error)?.message ?? String(caught)
    }
    finally {
      historyLoading.value = false
    }
  }

  /** The newest page, above what is loaded; the first read also sets where older pages start. */
  function readNewest() {
    return readHistory(undefined, (page) => {
      const known = new Set(history.value.map(entry => entry.id))
      const fresh = page.items.filter(entry => !known.has(entry.id))
      // A first read, or so many firings since that the page does not reach the loaded ones: start over.
      if (history.value.length === 0 || (fresh.length === page.items.length && page.cursor !== undefined)) {
        history.value = page.items
        olderCursor.value = page.cursor
      }
      else if (fresh.length > 0) {
        history.value = [...fresh, ...history.value]
      }
    })
  }

  const refreshSoon = throttle(() => {
    void list.refresh()
    void readNewest()
  }, LIVE_REFRESH)

  /** Puts the trigger an action returned in place of the listed one. */
  function replace(info: TriggerInfo) {
    list.data.value = list.data.value?.map(trigger => trigger.name === info.name ? info : trigger)
    return info
  }

  return {
    list,
    selected,
    history,
    historyLoading,
    historyError,
    hasOlder: () => olderCursor.value !== undefined,
    async select(name: string | undefined) {
      if (name === selected.value)
        return
      selected.value = name
      history.value = []
      olderCursor.value = undefined
      historyError.value = undefined
      await readNewest()
    },
    async loadOlder() {
      const before = olderCursor.value
      if (before === undefined)
        return
      await readHistory(before, (page) => {
        history.value = [...history.value, ...page.items]
        olderCursor.value = page.cursor
      })
    },
    async setEnabled(name: string, enabled: boolean): Promise<TriggerInfo> {
      const actions = requireActions(transport)
      return replace(await (enabled ? actions.enableTrigger(name) : actions.disableTrigger(name)))
    },
    /** Fires by hand; the firing shows in the history at once, not at the next live message. */
    async fire(name: string, data: unknown): Promise<TriggerFiring> {
      const firing = await requireActions(transport).fireTrigger(name, data)
      if (name === selected.value)
        await readNewest()
      return firing
    },
    apply(message: MonitorMessage) {
      if (message.type === 'trigger.changed')
        refreshSoon()
      else if (message.type === 'run.event' && (message.event.type === 'flow.start' || message.event.type === 'trigger.fired'))
        refreshSoon()
    },
    /** Messages were lost: the list and the whole loaded history again. */
    async reset() {
      history.value = []
      olderCursor.value = undefined
      await Promise.all([list.refresh(), readNewest()])
    },
  }
}

export type TriggersStore = ReturnType<typeof createTriggersStore>
