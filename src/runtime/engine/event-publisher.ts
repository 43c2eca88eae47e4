/**
 * Publishes committed run events for live views, in commit order, off the path of the step that committed
 * them. A step used to wait for a round trip per event before it went on; now events queue here and go
 * out in batches (one `publishAll` each), while the step carries on. The run's log already holds every
 * event, so a failed publish loses nothing: a subscriber that missed it catches up from the log.
 */
import type { StreamAdapter } from '../contracts/stream'
import type { RunEvent } from '../types/run'
import { EVENTS_TOPIC } from './nvent-context'

export class EventPublisher {
  private pending: RunEvent[] = []
  private flushing?: Promise<void>

  constructor(private readonly stream: StreamAdapter) {}

  /** Queues `events` behind those queued before; they go out once the current batch is sent. */
  publish(events: RunEvent[]): void {
    if (events.length === 0)
      return
    this.pending.push(...events)
    this.flushing ??= this.flush()
  }

  /** Resolves once every event queued so far was sent (or failed to be). */
  async drain(): Promise<void> {
    while (this.flushing)
      await this.flushing
  }

  private async flush(): Promise<void> {
    // Whatever else commits in this tick joins the first batch.
    await Promise.resolve()
    while (this.pending.length > 0) {
      const batch = this.pending
      this.pending = []
      await this.stream.publishAll(EVENTS_TOPIC, batch).catch(() => {})
    }
    this.flushing = undefined
  }
}
