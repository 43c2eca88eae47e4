import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { Listener } from './listener'
import { queueSql } from './queue-sql'
import { warnThrottled } from './retry'

type Signal = 'work' | 'pause' | 'resume'

/**
 * The queue's signals between instances, on one NOTIFY channel per queue schema: `work` when a job was
 * added (workers fetch now instead of at their next poll), `pause` and `resume` when the flag changed.
 * Each instance keeps the pause flags of the queues it works on, so a worker checks them without a query.
 */
export class QueueSignals {
  private readonly paused = new Map<string, boolean>()
  /** Marks this instance's own `work` signals, which it already acted on when it sent them. */
  private readonly origin = randomUUID()
  private stopListening?: () => Promise<void>
  /** Announcements not yet sent; closing waits for them, the pool must outlive them. */
  private readonly announcing = new Set<Promise<unknown>>()
  /** Per queue: an announcement waits for the turn's end, is on its way, or is on its way with another to follow. */
  private readonly announcements = new Map<string, 'scheduled' | 'sending' | 'again'>()
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly channel: string,
    /** Called when `queue` may have work to start. */
    private readonly onWork: (queue: string) => void,
  ) {}

  async listen(listener: Listener) {
    this.stopListening = await listener.listen(this.channel, payload => this.receive(payload))
  }

  /**
   * Tells every instance (this one included, through its own LISTEN) that `queue` has a new job. The jobs
   * a queue gets in one turn of the event loop share one announcement, sent at its end; a job added while
   * one is on its way gets another after it, since that one may have gone out before the job committed.
   */
  announceWork(queue: string) {
    if (this.closed)
      return
    const state = this.announcements.get(queue)
    if (state === 'scheduled' || state === 'again')
      return
    if (state === 'sending')
      return void this.announcements.set(queue, 'again')
    this.announcements.set(queue, 'scheduled')
    setImmediate(() => this.sendAnnouncement(queue))
  }

  private sendAnnouncement(queue: string) {
    this.announcements.set(queue, 'sending')
    const sent = this.pool.query(queueSql.notify(), [this.channel, JSON.stringify({ queue, signal: 'work', origin: this.origin })])
      // Only a shortcut: workers also poll, so a lost announcement delays the job, never loses it.
      .catch(error => warnThrottled(`announce:${queue}`, `could not announce a job of queue "${queue}": ${error.message}`))
      .finally(() => {
        this.announcing.delete(sent)
        const again = this.announcements.get(queue) === 'again'
        this.announcements.delete(queue)
        if (again)
          this.announceWork(queue)
      })
    this.announcing.add(sent)
  }

  async setPaused(queue: string, paused: boolean) {
    const payload = JSON.stringify({ queue, signal: paused ? 'pause' : 'resume' })
    await this.pool.query(queueSql.setPaused(this.schema), [queue, paused, this.channel, payload])
    // This instance knows at once; the others when the notification arrives (or at their next poll).
    this.paused.set(queue, paused)
    if (!paused)
      this.onWork(queue)
  }

  async isPaused(queue: string): Promise<boolean> {
    const { rows } = await this.pool.query(queueSql.isPaused(this.schema), [queue])
    return rows[0]?.paused ?? false
  }

  /** Re-reads the flag of `queue`: on a worker's start and each poll, in case a notification was missed. */
  async refresh(queue: string) {
    this.paused.set(queue, await this.isPaused(queue))
  }

  /** The last known flag; a flag read inside a fetch transaction is the authority for rate-limited queues. */
  pausedHere(queue: string): boolean {
    return this.paused.get(queue) ?? false
  }

  remember(queue: string, paused: boolean) {
    this.paused.set(queue, paused)
  }

  async close() {
    // Those waiting for the turn's end are sent first.
    await new Promise(resolve => setImmediate(resolve))
    this.closed = true
    await Promise.all(this.announcing)
    await this.stopListening?.()
  }

  private receive(payload: string) {
    let message: { queue: string, signal: Signal, origin?: string }
    try {
      message = JSON.parse(payload)
    }
    catch {
      return
    }
    if (message.signal === 'pause' || message.signal === 'resume')
      this.paused.set(message.queue, message.signal === 'pause')
    if (message.signal === 'resume' || (message.signal === 'work' && message.origin !== this.origin))
      this.onWork(message.queue)
  }
}
