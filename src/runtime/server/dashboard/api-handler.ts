/**
 * The dashboard's API at `<route>/api`: the monitor's read half (reads and the live stream) behind the
 * door, plus `session` (sign in with `Authorization: Bearer`, or ask whether the cookie still holds) and
 * `logout`. GET only: every other method is a 405 before anything else runs.
 */
import type { EventHandler } from 'h3'
import { defineEventHandler, setResponseHeader, setResponseStatus } from 'h3'
import type { ReadHandlerOptions } from '../monitor/read-handler'
import { createReadHandler } from '../monitor/read-handler'
import type { DashboardDoor } from './access'
import { checkAccess, endSession, setSession } from './access'

export interface DashboardApiOptions extends DashboardDoor, Omit<ReadHandlerOptions, 'prefix'> {
  /** The dashboard's route, e.g. `/_nvent`: the API is under `<route>/api`. */
  route: string
}

export function createDashboardApi(options: DashboardApiOptions): EventHandler {
  const prefix = `${options.route}/api`
  const read = createReadHandler({ prefix, reads: options.reads, feed: options.feed })
  return defineEventHandler(async (event) => {
    // Whatever its answer, nothing of it may be cached: it is private and it changes.
    setResponseHeader(event, 'cache-control', 'no-store')
    if (event.method !== 'GET')
      return read(event)
    const name = event.path.split('?')[0]!.slice(prefix.length + 1)
    if (name === 'logout') {
      endSession(event, options)
      return { signedIn: false }
    }
    const access = await checkAccess(event, options)
    if (!access.allowed) {
      setResponseStatus(event, access.status)
      return { error: access.reason }
    }
    if (name === 'session') {
      if (access.byToken)
        setSession(event, options)
      return { signedIn: true }
    }
    return read(event)
  })
}
