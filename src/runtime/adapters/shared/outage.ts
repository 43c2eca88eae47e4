/**
 * Connection outages, logged once each. During an outage every connection to the server fails again and
 * again (each reconnect attempt, each call that gives up); one warning when it starts and one line when it
 * ends say all there is to say, so the failures in between are only counted.
 */
import { consola } from 'consola'

/** The outage log of one server; every connection of the process to that server shares it. */
export class OutageLog {
  /** When the ongoing outage began, if there is one. */
  private since?: number
  private failures = 0

  constructor(readonly backend: string, readonly address: string) {}

  /** Whether a connection to the server is failing right now. */
  get down(): boolean {
    return this.since !== undefined
  }

  /** A connection attempt or a call failed: warns if this starts an outage, else only counts it. */
  failed(error: unknown) {
    this.failures++
    if (this.since !== undefined)
      return
    this.since = Date.now()
    logger().warn(`${this.backend} at ${this.address} is unreachable (${messageOf(error)}); calls fail until it is back, and further failures are only counted.`)
  }

  /** A connection works again: ends the outage, if there is one, with one line. */
  recovered() {
    if (this.since === undefined)
      return
    const seconds = ((Date.now() - this.since) / 1000).toFixed(1)
    logger().info(`${this.backend} at ${this.address} is reachable again after ${seconds} s (${this.failures} failed attempts).`)
    this.since = undefined
    this.failures = 0
  }
}

const logs = new Map<string, OutageLog>()

/** The outage log of `backend` at `address` in this process. */
export function outageLog(backend: string, address: string): OutageLog {
  const key = `${backend} ${address}`
  let log = logs.get(key)
  if (!log) {
    log = new OutageLog(backend, address)
    logs.set(key, log)
  }
  return log
}

/** Whether any server of `backend` is in an outage now: its failures are being counted, not logged. */
export function inOutage(backend: string): boolean {
  return [...logs.values()].some(log => log.backend === backend && log.down)
}

// Made at each use (outages are rare) so that reporters and levels set after this module loaded apply.
function logger() {
  return consola.withTag('nvent')
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
