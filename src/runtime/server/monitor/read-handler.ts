/**
 * The read half of the monitor over HTTP: `GET <prefix>/<read>?<args>` answers JSON and
 * `GET <prefix>/live` streams server-sent events. Only GET exists: every other method is a 405 and
 * changes nothing. The dashboard mounts it behind its token; it has no actions to offer.
 */
import type { EventHandler } from 'h3'
import { defineEventHandler, getQuery, setResponseHeader, setResponseStatus } from 'h3'
import type { LiveFeed } from '../../monitor/live-feed'
import type { MonitorReads } from '../../types/monitor'
import { answerMonitor } from './answer'
import { streamLive } from './live-stream'
import { callRead } from './read-call'

export interface ReadHandlerOptions {
  /** The path the handler is mounted at, e.g. `/_nvent/api`. */
  prefix: string
  reads: () => MonitorReads
  feed: () => LiveFeed
}

export function createReadHandler({ prefix, reads, feed }: ReadHandlerOptions): EventHandler {
  return defineEventHandler(async (event) => {
    const path = event.path.split('?')[0]!
    const name = path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : ''
    if (event.method !== 'GET') {
      setResponseHeader(event, 'allow', 'GET')
      setResponseStatus(event, 405)
      return { error: `the monitor's read API answers GET only, not ${event.method}` }
    }
    if (name === 'live')
      return streamLive(event, feed())
    return answerMonitor(event, () => callRead(reads(), name, getQuery(event) as Record<string, string>))
  })
}
