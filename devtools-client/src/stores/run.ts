/**
 * One run in detail: the record with its steps, its events and its logs read from a cursor, and its state,
 * all kept current by the run's live events (new events and logs append; the detail and state re-read,
 * throttled).
 */
import { ref } from 'vue'
import type { LogLevel } from '../../../src/runtime/types/context'
import type { MonitorMessage } from '../../../src/runtime/types/monitor'
import type { RunEventType } from '../../../src/runtime/types/run'
import type { Transport } from '../transport/transport'
import { createLoader, throttle } from './loader'
import { createEventTail } from './run-tail'

const LIVE_REFRESH = 250

/** Events after which the run's state may differ: a key set or deleted, or the run ended (cleanup). */
const STATE_CHANGES: readonly RunEventType[] = ['state', 'flow.completed', 'flow.failed', 'flow.cancel', 'flow.stalled']

export function createRunStore(transport: Transport, runId: string) {
  const { reads } = transport
  const detail = createLoader(() => reads.run(runId))
  const state = createLoader(() => reads.state(runId))
  const eventTail = createEventTail((after, limit) => reads.events(runId, { after, limit }))
  /** The lowest level the logs show. */
  const logLevel = ref<LogLevel>('debug')
  const logTail = createEventTail((after, limit) => reads.logs(runId, { level: logLevel.value, after, limit }), 200)

  const refreshDetail = throttle(() => void detail.refresh(), LIVE_REFRESH)
  const refreshState = throttle(() => void state.refresh(), LIVE_REFRESH)
  const readEvents = throttle(() => void eventTail.more(), LIVE_REFRESH)
  const readLogs = throttle(() => void logTail.more(), LIVE_REFRESH)

  return {
    detail,
    events: eventTail.items,
    eventsError: eventTail.error,
    logs: logTail.items,
    logsError: logTail.error,
    logLevel,
    state,
    /** Reads everything from the start: on open, and when live messages were lost. */
    async load() {
      await Promise.all([detail.refresh(), state.refresh(), eventTail.reset(), logTail.reset()])
    },
    async setLogLevel(level: LogLevel) {
      logLevel.value = level
      await logTail.reset()
    },
    apply(message: MonitorMessage) {
      if (message.type !== 'run.event' || message.event.runId !== runId)
        return
      const { type } = message.event
      readEvents()
      if (type === 'log')
        readLogs()
      // Logs and state notes change nothing of the record.
      else if (type !== 'state')
        refreshDetail()
      if (STATE_CHANGES.includes(type))
        refreshState()
    },
  }
}

export type RunStore = ReturnType<typeof createRunStore>
