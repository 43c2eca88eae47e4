/**
 * The dev server's end of the DevTools bridge (dev only): DevTools' RPC runs in the Nuxt main process,
 * the engine in Nitro's worker, so the main process calls the monitor here. `POST …/call` runs one read
 * or action, `GET …/live` streams the live feed. Every request must carry the secret the main process
 * made at this dev start (`x-nvent-bridge`); nothing else knows it.
 */
import type { EventHandler } from 'h3'
import { defineEventHandler, getHeader, readBody, setResponseStatus } from 'h3'
import { NventError } from '../../errors'
import { feedOf } from '../../monitor/live-feed'
import { BRIDGE_HEADER } from '../../types/devtools'
import type { MonitorApi, MonitorCallName } from '../../types/monitor'
import { MONITOR_ACTIONS, MONITOR_READS } from '../../types/monitor'
import { secretMatches } from '../secret-match'
import { answerMonitor } from './answer'
import { streamLive } from './live-stream'

const CALLS: readonly string[] = [...MONITOR_READS, ...MONITOR_ACTIONS]

export interface BridgeHandlerOptions {
  /** The secret of this dev start ('' when none was made: then nothing is let through). */
  secret: () => string
  monitor: () => MonitorApi
}

export function createBridgeHandler({ secret, monitor }: BridgeHandlerOptions): EventHandler {
  return defineEventHandler(async (event) => {
    if (!secretMatches(getHeader(event, BRIDGE_HEADER), secret())) {
      setResponseStatus(event, 403)
      return { error: 'the nvent DevTools bridge answers the dev server\'s main process only' }
    }
    const action = event.path.split('?')[0]!.split('/').pop()
    if (action === 'live' && event.method === 'GET')
      return streamLive(event, feedOf(monitor()))
    if (action !== 'call' || event.method !== 'POST') {
      setResponseStatus(event, 404)
      return { error: 'the bridge has POST …/call and GET …/live' }
    }
    return answerMonitor(event, async () => {
      const { fn, args } = (await readBody(event).catch(() => null) ?? {}) as { fn?: unknown, args?: unknown }
      if (typeof fn !== 'string' || !CALLS.includes(fn) || !Array.isArray(args))
        throw new NventError(`nvent: bridge: expected a JSON body { fn, args } with fn one of ${CALLS.join(', ')} and args an array`, 400)
      const call = monitor()[fn as MonitorCallName] as (...args: unknown[]) => Promise<unknown>
      // Wrapped, so a result of `null` or `false` reads the same on the other side.
      return { result: await call(...args) ?? null }
    })
  })
}
