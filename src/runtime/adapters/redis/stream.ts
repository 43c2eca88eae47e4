import type { Redis } from 'ioredis'
import type { StreamAdapter, StreamHandler } from '../../contracts/stream'
import { dispatch } from '../shared/dispatch'
import { openSubscriber, quit, type RedisLease } from './connection'
import { toJson } from './json'
import { copy } from '../shared/copy'

interface Channel {
  handlers: Set<StreamHandler>
  /** Settles once Redis confirmed the SUBSCRIBE; later subscribers of the channel wait for it too. */
  live: Promise<unknown>
}

/**
 * Live events over Redis pub/sub, channel `<prefix>:<topic>`. Publishing uses the shared command
 * client (and fails after its `timeout` while Redis is down); receiving needs a connection in subscriber
 * mode, opened on the first subscribe and holding one Redis subscription per topic however many handlers
 * listen in this process. That connection waits out an outage and resubscribes after it.
 */
/** Starts the payload of a batch (a JSON array of messages); no JSON text starts with it. */
const BATCH_MARK = '\u0001'

export class RedisStream implements StreamAdapter {
  private subscriber?: Redis
  private readonly channels = new Map<string, Channel>()
  private closed = false

  constructor(private readonly lease: RedisLease, private readonly prefix: string) {}

  async publish(topic: string, message: unknown) {
    this.assertOpen()
    await this.lease.client.publish(this.channelOf(topic), toJson(message, `a message on "${topic}"`))
  }

  /** One PUBLISH for the lot: a batch travels as one payload, marked so a subscriber splits it again. */
  async publishAll(topic: string, messages: unknown[]) {
    this.assertOpen()
    if (messages.length <= 1)
      return messages.length ? this.publish(topic, messages[0]) : undefined
    const encoded = messages.map(message => toJson(message, `a message on "${topic}"`))
    await this.lease.client.publish(this.channelOf(topic), `${BATCH_MARK}[${encoded.join(',')}]`)
  }

  async subscribe(topic: string, handler: StreamHandler): Promise<() => Promise<void>> {
    this.assertOpen()
    const name = this.channelOf(topic)
    let channel = this.channels.get(name)
    if (!channel) {
      channel = { handlers: new Set(), live: this.listener().subscribe(name) }
      this.channels.set(name, channel)
    }
    channel.handlers.add(handler)
    await channel.live
    const joined = channel
    return async () => {
      joined.handlers.delete(handler)
      if (joined.handlers.size > 0 || this.channels.get(name) !== joined)
        return
      this.channels.delete(name)
      if (!this.closed)
        await this.subscriber?.unsubscribe(name)
    }
  }

  async close() {
    if (this.closed)
      return
    this.closed = true
    this.channels.clear()
    if (this.subscriber)
      await quit(this.subscriber)
    await this.lease.release()
  }

  private listener(): Redis {
    if (!this.subscriber) {
      const subscriber = openSubscriber(this.lease.options)
      subscriber.on('message', (name: string, raw: string) => {
        const handlers = this.channels.get(name)?.handlers ?? []
        // Parsed per handler, so each gets its own copy.
        if (!raw.startsWith(BATCH_MARK))
          return dispatch(name, handlers, () => JSON.parse(raw))
        for (const message of JSON.parse(raw.slice(BATCH_MARK.length)) as unknown[]) {
          let taken = false
          dispatch(name, handlers, () => taken ? copy(message) : (taken = true, message))
        }
      })
      this.subscriber = subscriber
    }
    return this.subscriber
  }

  private channelOf(topic: string): string {
    return `${this.prefix}:${topic}`
  }

  private assertOpen() {
    if (this.closed)
      throw new Error('nvent: the stream adapter is closed')
  }
}
