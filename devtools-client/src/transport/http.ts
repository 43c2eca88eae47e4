/**
 * The dashboard's transport: the monitor's read API over plain HTTP (runtime/server/monitor/read-handler.ts),
 * live messages as server-sent events, and the session the server's token opens. It has no actions at all:
 * the dashboard is read-only by construction, so the views render no action controls.
 */
import { ref } from 'vue'
import type { MonitorMessage, MonitorReads } from '../../../src/runtime/types/monitor'
import { MONITOR_READ_PARAMS } from '../../../src/runtime/types/monitor'
import type { LiveHandlers, SessionState, Transport } from './transport'
import { callProxy } from './transport'

/** A request the server refused: its reason, and the HTTP status. */
class HttpError extends Error {
  constructor(message: string, readonly status: number) {
    super(message)
  }
}

// The stream names each event after its message's type. A Record, so that a new type cannot be left out here.
const MESSAGE_EVENTS = Object.keys({ 'run.event': 0, 'trigger.changed': 0, 'queue.counts': 0 } satisfies Record<MonitorMessage['type'], 0>)
/** Milliseconds before a stream the browser gave up on is opened again (the server's own retry hint). */
const REOPEN_DELAY = 2000

/** `api` is the read API's absolute path (`/_nvent/api`), or a full URL where there is no page to be relative to. */
export function httpTransport(api: string): Transport {
  const state = ref<SessionState>('checking')
  const request = (path: string, headers?: Record<string, string>) => fetch(`${api}/${path}`, { credentials: 'same-origin', headers })
  // Only a 401 ends the session. A server that cannot say (down, restarting) leaves the views to show their errors.
  async function sessionEnded(): Promise<boolean> {
    const ended = (await request('session').catch(() => undefined))?.status === 401
    if (ended)
      state.value = 'signed-out'
    return ended
  }
  // A cookie from an earlier visit may still be good: no sign-in asked for then.
  void sessionEnded().then((ended) => {
    if (!ended)
      state.value = 'signed-in'
  })

  async function read(name: string, args: unknown[]): Promise<unknown> {
    const response = await request(`${name}${queryOf(name as keyof MonitorReads, args)}`)
    // The session ended under the views (the token was rotated): the sign-in comes back.
    if (response.status === 401)
      state.value = 'signed-out'
    if (!response.ok)
      throw new HttpError(await reasonOf(response), response.status)
    return response.json()
  }

  return {
    reads: callProxy<MonitorReads>(read),
    live: handlers => follow(`${api}/live`, handlers, sessionEnded),
    session: {
      state,
      async signIn(token) {
        const response = await request('session', { authorization: `Bearer ${token}` }).catch((error: Error) => error)
        if (response instanceof Error)
          return `The server did not answer: ${response.message}`
        if (response.status === 401)
          return 'That token is not valid.'
        if (!response.ok)
          return reasonOf(response)
        state.value = 'signed-in'
        return true
      },
      async signOut() {
        // Only the server can clear its HttpOnly cookie. Signed out here even if it could not: a reload would tell.
        await request('logout').catch(() => undefined)
        state.value = 'signed-out'
      },
    },
  }
}

/**
 * A read's arguments as its query string: the leading string argument under the name MONITOR_READ_PARAMS
 * gives it, then an options object's defined values under their own keys.
 */
function queryOf(read: keyof MonitorReads, args: unknown[]): string {
  const leading = MONITOR_READ_PARAMS[read]
  const options = (leading ? args[1] : args[0]) as Record<string, unknown> | undefined
  const entries = Object.entries(options ?? {})
  if (leading)
    entries.unshift([leading, args[0]])
  const params = new URLSearchParams()
  for (const [key, value] of entries) {
    if (value !== undefined)
      params.set(key, String(value))
  }
  const query = params.toString()
  return query ? `?${query}` : ''
}

/** The server's reason for a refusal, or its status when the body has none (a proxy's error page). */
async function reasonOf(response: Response): Promise<string> {
  const body = await response.json().catch(() => undefined) as { error?: unknown } | null | undefined
  return typeof body?.error === 'string' ? body.error : `The server answered ${response.status} ${response.statusText}`.trim()
}

/**
 * Live messages from the server's event stream until the returned function is called. The browser reconnects
 * a dropped stream by itself and the server catches up from Last-Event-ID. A stream the browser gave up on
 * (closed: the server refused it) is opened again after a pause unless the session ended; the new one starts
 * from now, so the views read everything again once it is subscribed.
 */
function follow(url: string, handlers: LiveHandlers, sessionEnded: () => Promise<boolean>): () => void {
  let source: EventSource | undefined
  let reopen: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const open = (reopened: boolean) => {
    const stream = new EventSource(url)
    source = stream
    for (const type of MESSAGE_EVENTS)
      stream.addEventListener(type, event => handlers.onMessage(JSON.parse(event.data) as MonitorMessage))
    stream.addEventListener('reset', () => handlers.onReset())
    if (reopened)
      stream.addEventListener('ready', () => handlers.onReset(), { once: true })
    stream.addEventListener('error', async () => {
      if (stream.readyState !== EventSource.CLOSED || await sessionEnded() || stopped)
        return
      reopen = setTimeout(() => open(true), REOPEN_DELAY)
    })
  }
  open(false)
  return () => {
    stopped = true
    clearTimeout(reopen)
    source?.close()
  }
}
