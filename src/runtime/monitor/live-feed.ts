/**
 * The live messages numbered for a stream transport: each gets an id, and the last ones are kept, so a
 * client that reconnects with the id it saw last (SSE's `Last-Event-ID`) gets what it missed instead of
 * a gap. Ids start with an epoch made at each start: an id from before a restart is told apart and the
 * client is told to reload rather than being replayed the wrong messages.
 */
import { randomUUID } from 'node:crypto'
import type { MonitorLive, MonitorMessage } from '../types/monitor'

export interface FeedEntry {
  id: string
  message: MonitorMessage
}

export interface FeedSubscription {
  /** Missed entries after `lastEventId`, or `reset` when they are no longer kept (or were never seen here). */
  missed: FeedEntry[] | 'reset'
  stop(): Promise<void>
}

export interface LiveFeed {
  subscribe(handler: (entry: FeedEntry) => void, lastEventId?: string): Promise<FeedSubscription>
}

/** @param kept how many of the latest messages a reconnecting client can catch up on */
export function createLiveFeed(live: MonitorLive, kept = 1000): LiveFeed {
  const epoch = randomUUID().slice(0, 8)
  const recent: FeedEntry[] = []
  const handlers = new Set<(entry: FeedEntry) => void>()
  let sequence = 0
  let upstream: Promise<unknown> | undefined

  function publish(message: MonitorMessage) {
    const entry = { id: `${epoch}.${++sequence}`, message }
    recent.push(entry)
    if (recent.length > kept)
      recent.shift()
    for (const handler of handlers) handler(entry)
  }

  function missedAfter(lastEventId: string | undefined): FeedEntry[] | 'reset' {
    if (lastEventId === undefined)
      return []
    const [from, seen] = lastEventId.split('.')
    const after = Number(seen)
    if (from !== epoch || !Number.isSafeInteger(after) || after > sequence)
      return 'reset'
    const missed = recent.filter(entry => Number(entry.id.split('.')[1]) > after)
    // The oldest kept is newer than the next one the client needs: some were dropped.
    return after < sequence && missed[0]?.id !== `${epoch}.${after + 1}` ? 'reset' : missed
  }

  return {
    async subscribe(handler, lastEventId) {
      // Kept open once opened: a client reconnecting after a blip must find the messages it missed.
      upstream ??= live.subscribe(publish)
      await upstream
      const missed = missedAfter(lastEventId)
      handlers.add(handler)
      return { missed, stop: async () => void handlers.delete(handler) }
    },
  }
}

const feeds = new WeakMap<MonitorLive, LiveFeed>()

/** The one feed of a monitor, so every stream of this server shares its ids and its catch-up window. */
export function feedOf(live: MonitorLive): LiveFeed {
  let feed = feeds.get(live)
  if (!feed)
    feeds.set(live, feed = createLiveFeed(live))
  return feed
}
