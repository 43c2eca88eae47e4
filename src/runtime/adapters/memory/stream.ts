import type { StreamAdapter, StreamHandler } from '../../contracts/stream'
import { TopicHandlers } from '../shared/dispatch'

/**
 * In-process publish/subscribe. Each handler gets its own copy of the message, and a handler that throws
 * (or rejects) is reported without keeping the message from the others.
 */
export class LocalStream implements StreamAdapter {
  private readonly topics = new TopicHandlers()

  async publish(topic: string, message: unknown) {
    this.topics.deliver(topic, message)
  }

  async publishAll(topic: string, messages: unknown[]) {
    for (const message of messages)
      this.topics.deliver(topic, message)
  }

  async subscribe(topic: string, handler: StreamHandler): Promise<() => Promise<void>> {
    const remove = this.topics.add(topic, handler)
    return async () => remove()
  }

  async close() {
    this.topics.clear()
  }
}
