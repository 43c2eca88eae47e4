import { consola } from 'consola'
import pg from 'pg'
import { markUnreachable, type Reach } from './retry'

export type NotificationHandler = (payload: string) => void

interface Channel {
  handlers: Set<NotificationHandler>
  /** Settles once LISTEN on the channel is active. */
  ready: Promise<void>
}

/** Reconnecting a dropped LISTEN connection waits this long first, doubling per failure up to the max. */
const RECONNECT_DELAY = 250
const MAX_RECONNECT_DELAY = 10_000

/**
 * The one LISTEN connection of a pool. LISTEN lasts as long as its session, so it cannot borrow pooled
 * connections; every adapter on the pool shares this one. A dropped connection is reopened and its
 * channels listened to again; what was notified meanwhile is lost, which the callers tolerate (workers
 * also poll, stream subscribers catch up from the store). The loss and the return are the outage log's
 * to report.
 */
export class Listener {
  private client?: Promise<pg.Client>
  /** The connection notifications currently come from. */
  private connected?: pg.Client
  private readonly channels = new Map<string, Channel>()
  private reconnectTimer?: ReturnType<typeof setTimeout>
  private reconnectDelay = RECONNECT_DELAY
  /** Called after LISTEN is active again on a new connection: what was notified meanwhile is lost. */
  private readonly reconnectHooks = new Set<() => void>()
  private closed = false

  constructor(private readonly config: pg.ClientConfig, private readonly reach: Reach) {}

  /** Calls `handler` with the payload of every notification on `channel`; resolves once LISTEN is active. */
  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    let entry = this.channels.get(channel)
    if (!entry) {
      entry = { handlers: new Set(), ready: this.connect().then(client => this.subscribe(client, channel)) }
      this.channels.set(channel, entry)
      entry.ready.catch(() => this.channels.get(channel) === entry && this.channels.delete(channel))
    }
    entry.handlers.add(handler)
    await entry.ready
    return () => this.unlisten(channel, entry, handler)
  }

  /** Calls `hook` after every reconnect, so callers can look for what they missed; returns its removal. */
  onReconnect(hook: () => void): () => void {
    this.reconnectHooks.add(hook)
    return () => this.reconnectHooks.delete(hook)
  }

  async close() {
    this.closed = true
    this.reconnectHooks.clear()
    clearTimeout(this.reconnectTimer)
    this.channels.clear()
    const client = await this.client?.catch(() => undefined)
    this.client = undefined
    await client?.end().catch(() => {})
  }

  private async unlisten(channel: string, entry: Channel, handler: NotificationHandler) {
    entry.handlers.delete(handler)
    if (entry.handlers.size > 0 || this.channels.get(channel) !== entry)
      return
    this.channels.delete(channel)
    const client = await this.client?.catch(() => undefined)
    await client?.query(`UNLISTEN ${client.escapeIdentifier(channel)}`).catch(() => {})
  }

  private subscribe(client: pg.Client, channel: string) {
    return client.query(`LISTEN ${client.escapeIdentifier(channel)}`).then(() => {})
  }

  private connect(): Promise<pg.Client> {
    if (this.closed)
      return Promise.reject(new Error('nvent: the PostgreSQL connection is closed'))
    this.client ??= this.open()
    return this.client
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client(this.config)
    client.on('notification', ({ channel, payload }) => this.deliver(channel, payload ?? ''))
    client.on('error', error => this.dropped(client, error))
    client.on('end', () => this.dropped(client))
    try {
      await client.connect()
      this.connected = client
      return client
    }
    catch (error) {
      this.client = undefined
      client.end().catch(() => {})
      throw markUnreachable(error, this.reach)
    }
  }

  private deliver(channel: string, payload: string) {
    for (const handler of [...this.channels.get(channel)?.handlers ?? []]) {
      try {
        handler(payload)
      }
      catch (error) {
        consola.withTag('nvent').error(`a handler of PostgreSQL channel "${channel}" threw:`, error)
      }
    }
  }

  /** Only the live connection's loss matters: a replaced one ends quietly. */
  private dropped(client: pg.Client, error?: Error) {
    if (this.closed || client !== this.connected)
      return
    this.reach.outage.failed(error ?? 'the LISTEN connection ended')
    this.connected = undefined
    this.client = undefined
    client.end().catch(() => {})
    this.scheduleReconnect()
  }

  private scheduleReconnect() {
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => this.relisten(), this.reconnectDelay)
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, MAX_RECONNECT_DELAY)
  }

  private async relisten() {
    if (this.closed || this.channels.size === 0)
      return
    try {
      const client = await this.connect()
      await Promise.all([...this.channels.keys()].map(channel => this.subscribe(client, channel)))
      this.reconnectDelay = RECONNECT_DELAY
      this.reach.outage.recovered()
      for (const hook of [...this.reconnectHooks]) hook()
    }
    catch (error) {
      if (this.connected && this.client) {
        // Connected but LISTEN failed: drop this connection so the next try starts afresh.
        const client = this.connected
        this.connected = undefined
        this.client = undefined
        client.end().catch(() => {})
        this.reach.outage.failed(error)
      }
      // A failed connect was counted where it failed; the next try follows.
      this.scheduleReconnect()
    }
  }
}
