/**
 * The live subscription: run events, trigger changes and queue counts as they commit on any instance. One
 * upstream subscription per monitor serves every subscriber (a dashboard may have many viewers), opened
 * with the first and closed with the last.
 */
import type { JobCounts } from '../contracts/queue'
import { EVENTS_TOPIC } from '../engine/nvent-context'
import { TRIGGERS_TOPIC } from '../triggers/trigger-book'
import type { MonitorLive, MonitorMessage } from '../types/monitor'
import type { RunEvent } from '../types/run'
import type { MonitorDeps } from './deps'

/** Queue counts go out at most this often per queue, however many jobs move. */
const COUNTS_INTERVAL = 250
/** Queues also change without run events (plain jobs, pauses elsewhere): they are checked this often. */
const COUNTS_POLL = 5000

/** The live subscription, and `close` for the engine's close: it ends the upstream subscription and its timers. */
export function createLive(deps: MonitorDeps): { live: MonitorLive, close(): Promise<void> } {
  const handlers = new Set<(message: MonitorMessage) => void>()
  let upstream: Promise<() => Promise<void>> | undefined

  function deliver(message: MonitorMessage) {
    for (const handler of handlers) {
      try {
        handler(message)
      }
      catch {
        // One subscriber's failure must not cut the others off.
      }
    }
  }

  async function open(): Promise<() => Promise<void>> {
    const { stream } = deps.context.adapters
    const counts = queueCounts(deps, deliver)
    const stops = await Promise.all([
      stream.subscribe(EVENTS_TOPIC, (message) => {
        const event = message as RunEvent
        deliver({ type: 'run.event', event })
        counts.touch(queueOf(deps, event))
      }),
      stream.subscribe(TRIGGERS_TOPIC, message => deliver({ type: 'trigger.changed', ...(message as { name?: string }) })),
    ])
    return async () => {
      counts.stop()
      await Promise.all(stops.map(stop => stop()))
    }
  }

  async function close() {
    const closing = upstream
    upstream = undefined
    if (closing)
      await (await closing)()
  }

  return {
    live: {
      async subscribe(handler) {
        handlers.add(handler)
        upstream ??= open()
        await upstream
        return async () => {
          if (handlers.delete(handler) && handlers.size === 0)
            await close()
        }
      },
    },
    async close() {
      handlers.clear()
      await close()
    },
  }
}

/** The queue a run event's step runs on, if the build knows it. */
function queueOf({ context }: MonitorDeps, event: RunEvent): string | undefined {
  return event.step ? context.registry.flows[event.flowName]?.steps[event.step]?.queue : undefined
}

/** Sends a queue's counts when they changed: soon after a run event touched it, and on a slow poll. */
function queueCounts(deps: MonitorDeps, deliver: (message: MonitorMessage) => void) {
  const last = new Map<string, string>()
  const touched = new Set<string>()
  let flushing: ReturnType<typeof setTimeout> | undefined

  async function send(queues: Iterable<string>) {
    await Promise.all([...queues].map(async (queue) => {
      const counts: JobCounts = await deps.queue.counts(queue)
      const key = JSON.stringify(counts)
      if (last.get(queue) !== key) {
        last.set(queue, key)
        deliver({ type: 'queue.counts', queue, counts })
      }
    })).catch(() => {})
  }
  const poll = setInterval(() => send(deps.queue.names()), COUNTS_POLL)
  poll.unref?.()
  return {
    touch(queue: string | undefined) {
      if (!queue)
        return
      touched.add(queue)
      flushing ??= setTimeout(() => {
        flushing = undefined
        const queues = [...touched]
        touched.clear()
        void send(queues)
      }, COUNTS_INTERVAL)
    },
    stop() {
      clearInterval(poll)
      clearTimeout(flushing)
    },
  }
}
