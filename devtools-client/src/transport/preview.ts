/**
 * The preview transport (`npm run dev:client` only, never in a build): the client talks straight to a
 * preview engine's bridge route, as the Nuxt process does in dev, so the views can be worked on with hot
 * reload outside DevTools.
 */
import { createBridge } from '../../../src/module/devtools-bridge'
import type { MonitorActions, MonitorCallName, MonitorReads } from '../../../src/runtime/types/monitor'
import type { Transport } from './transport'
import { callProxy } from './transport'

export function previewTransport(url: string, secret: string): Transport {
  const bridge = createBridge({ url: () => url, secret })
  const call = (name: string, args: unknown[]) => bridge.call(name as MonitorCallName, args)
  return {
    reads: callProxy<MonitorReads>(call),
    actions: callProxy<MonitorActions>(call),
    live(handlers) {
      const following = bridge.follow(handlers)
      return () => following.stop()
    },
  }
}
