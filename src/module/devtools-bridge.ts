/**
 * The main process's end of the DevTools bridge: DevTools' RPC runs here, the engine in Nitro's dev
 * worker, so each call goes to the worker's bridge route with the secret made at this dev start, and
 * the live feed is read from the same route as server-sent events.
 */
import { createParser } from 'eventsource-parser'
import { BRIDGE_HEADER } from '../runtime/types/devtools'
import type { MonitorCallName, MonitorMessage } from '../runtime/types/monitor'

/** Wait before reading the feed again after it dropped (the dev server restarting, a reload). */
const RECONNECT_DELAY = 1000

export interface BridgeOptions {
  /** The bridge's URL on the dev server, once it listens. */
  url: () => string | undefined
  secret: string
}

export interface LiveHandlers {
  onMessage(message: MonitorMessage): void
  onReset(): void
}

export function createBridge({ url, secret }: BridgeOptions) {
  function endpoint(path: string): string {
    const base = url()
    if (!base)
      throw new Error('nvent: the dev server is not listening yet')
    return `${base}${path}`
  }

  return {
    /** Runs a monitor read or action in the Nitro worker; a refusal comes back as an error with its reason. */
    async call(fn: MonitorCallName, args: unknown[]): Promise<unknown> {
      const response = await fetch(endpoint('/call'), {
        method: 'POST',
        headers: { [BRIDGE_HEADER]: secret, 'content-type': 'application/json' },
        body: JSON.stringify({ fn, args }),
      })
      const body = await response.json().catch(() => ({ error: `the dev server answered ${response.status}` })) as { result?: unknown, error?: string }
      if (!response.ok)
        throw Object.assign(new Error(body.error ?? `the dev server answered ${response.status}`), { status: response.status })
      return body.result
    },

    /** Reads the live feed until `stop`, reconnecting with the last id seen so nothing is missed. */
    follow(handlers: LiveHandlers): { stop(): void } {
      const controller = new AbortController()
      let lastEventId: string | undefined
      const parser = createParser({
        onEvent(event) {
          if (event.id)
            lastEventId = event.id
          if (event.event === 'reset')
            handlers.onReset()
          else if (event.event !== 'ready' && event.event !== 'ping')
            handlers.onMessage(JSON.parse(event.data) as MonitorMessage)
        },
      })
      const read = async () => {
        while (!controller.signal.aborted) {
          try {
            const response = await fetch(endpoint('/live'), {
              headers: { [BRIDGE_HEADER]: secret, ...(lastEventId && { 'last-event-id': lastEventId }) },
              signal: controller.signal,
            })
            if (!response.ok)
              throw new Error(`the bridge answered ${response.status}`)
            const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
            for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
              parser.feed(chunk.value)
          }
          catch {
            // Dropped or not up yet: tried again below.
          }
          parser.reset()
          await new Promise(resolve => setTimeout(resolve, RECONNECT_DELAY))
        }
      }
      void read()
      return { stop: () => controller.abort() }
    },
  }
}

export type Bridge = ReturnType<typeof createBridge>
