import { consola } from 'consola'
import type { StreamAdapter, StreamHandler } from '../../contracts/stream'
import { TopicHandlers } from '../shared/dispatch'
import { encodeJsonb } from './json'
import type { Connection } from './pool'
import { queryOnce, withReconnect } from './retry'
import { streamSql } from './stream-sql'

/** NOTIFY refuses payloads of this many bytes or more; larger messages travel by reference. */
const NOTIFY_LIMIT = 8000

/** A notification: the topic and either the message (`m`) or the id of the stored message (`r`). */
type Notification = { t: string, m: unknown } | { t: string, r: string }

/** The payload of a notification carrying the message `body` (its JSON). */
function notification(topic: string, body: string): string {
  return `{"t":${JSON.stringify(topic)},"m":${body}}`
}

/**
 * Publish/subscribe across instances on one LISTEN/NOTIFY channel; topics are filtered here. Messages
 * reach the handlers of this instance in the order they were notified, also when one of them had to be
 * fetched from the table first.
 */
export class PostgresStream implements StreamAdapter {
  private readonly topics = new TopicHandlers()
  private listening?: Promise<() => Promise<void>>
  private delivery: Promise<void> = Promise.resolve()
  private closed = false

  constructor(private readonly connection: Connection, private readonly schema: string, private readonly channel: string) {}

  async publish(topic: string, message: unknown) {
    this.assertOpen()
    await this.send(topic, encodeJsonb(message, `a message on topic "${topic}"`))
  }

  /** One statement for the lot; one by one, in order, when a message is too large for NOTIFY. */
  async publishAll(topic: string, messages: unknown[]) {
    this.assertOpen()
    const bodies = messages.map(message => encodeJsonb(message, `a message on topic "${topic}"`))
    const payloads = bodies.map(body => notification(topic, body))
    if (payloads.some(payload => Buffer.byteLength(payload) >= NOTIFY_LIMIT)) {
      for (const body of bodies)
        await this.send(topic, body)
      return
    }
    const { pool } = this.connection
    await withReconnect(pool, `publishing ${payloads.length} messages on topic "${topic}"`, 'once', () => queryOnce(pool, streamSql.notifyAll(), [this.channel, payloads]))
  }

  /** Notifies one message's JSON, or stores it and notifies its id when NOTIFY cannot carry it. */
  private async send(topic: string, body: string) {
    const payload = notification(topic, body)
    const { pool } = this.connection
    // Re-sent after a lost connection only if it never reached the server: subscribers must not get it twice.
    await withReconnect(pool, `publishing on topic "${topic}"`, 'once', () => Buffer.byteLength(payload) < NOTIFY_LIMIT
      ? queryOnce(pool, streamSql.notify(), [this.channel, payload])
      : queryOnce(pool, streamSql.publishStored(this.schema), [this.channel, topic, body]))
  }

  async subscribe(topic: string, handler: StreamHandler): Promise<() => Promise<void>> {
    this.assertOpen()
    const remove = this.topics.add(topic, handler)
    try {
      await this.listen()
    }
    catch (error) {
      remove()
      throw error
    }
    return async () => remove()
  }

  async close() {
    if (this.closed)
      return
    this.closed = true
    this.topics.clear()
    const unlisten = await this.listening?.catch(() => undefined)
    await unlisten?.()
    await this.delivery
    await this.connection.release()
  }

  /** One LISTEN for all topics of this stream; resolves once it is active. */
  private listen() {
    if (!this.listening) {
      this.listening = this.connection.listener.listen(this.channel, payload => this.receive(payload))
      this.listening.catch(() => this.listening = undefined)
    }
    return this.listening
  }

  private receive(payload: string) {
    let notification: Notification
    try {
      notification = JSON.parse(payload)
    }
    catch {
      return consola.withTag('nvent').error(`ignored a malformed notification on channel "${this.channel}"`)
    }
    if (!this.topics.has(notification.t))
      return
    this.delivery = this.delivery
      .then(async () => this.topics.deliver(notification.t, 'r' in notification ? await this.readStored(notification.r) : notification.m))
      .catch(error => consola.withTag('nvent').error(`could not deliver a message on topic "${notification.t}":`, error))
  }

  private async readStored(id: string): Promise<unknown> {
    const { rows } = await withReconnect(this.connection.pool, `reading stored message ${id}`, 'idempotent', () => this.connection.pool.query(streamSql.readStored(this.schema), [id]))
    if (rows.length === 0)
      throw new Error(`stored message ${id} is gone (older than its lifetime)`)
    return rows[0].body
  }

  private assertOpen() {
    if (this.closed)
      throw new Error('nvent: the stream adapter is closed')
  }
}
