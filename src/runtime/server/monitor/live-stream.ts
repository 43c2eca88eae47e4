/**
 * The live feed as server-sent events: a `retry` hint, catch-up from `Last-Event-ID`, a heartbeat that
 * keeps proxies from closing an idle stream, and the subscription dropped when the client goes.
 */
import type { H3Event } from 'h3'
import { createEventStream, getRequestHeader } from 'h3'
import type { FeedEntry, LiveFeed } from '../../monitor/live-feed'

/** Milliseconds a disconnected EventSource waits before it reconnects. */
const RETRY = 2000
const HEARTBEAT = 20_000

function frame(entry: FeedEntry) {
  return { id: entry.id, event: entry.message.type, data: JSON.stringify(entry.message) }
}

export async function streamLive(event: H3Event, feed: LiveFeed): Promise<void> {
  const stream = createEventStream(event)
  const lastEventId = getRequestHeader(event, 'last-event-id') ?? undefined
  // Messages are pushed without waiting: one slow client must not hold up the feed's other subscribers.
  const subscription = await feed.subscribe(entry => void stream.push(frame(entry)).catch(() => {}), lastEventId)
  const heartbeat = setInterval(() => void stream.push({ event: 'ping', data: '' }).catch(() => {}), HEARTBEAT)
  let closed = false
  const close = async () => {
    if (closed)
      return
    closed = true
    clearInterval(heartbeat)
    await subscription.stop()
    await stream.close()
  }
  // `onClosed` may not fire when the client cancels; the request's own close does.
  stream.onClosed(close)
  event.node.req.on('close', () => void close())
  void stream.push(subscription.missed === 'reset'
    ? [{ retry: RETRY, event: 'reset', data: '{}' }]
    : [{ retry: RETRY, event: 'ready', data: '{}' }, ...subscription.missed.map(frame)])
  return stream.send()
}
