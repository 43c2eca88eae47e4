import type { StreamAdapter, StreamHandler } from '../../runtime/contracts/stream'

/**
 * In-process publish/subscribe. Each handler gets its own copy of the message, and a handler that throws
 * (or rejects) is reported without keeping the message from the others.
 */
export class LocalStream implements StreamAdapter {
  private readonly topics = new Map<string, Set<StreamHandler>>()

  async publish(topic: string, message: unknown) {
    // A copy of the set: a handler may unsubscribe while we deliver.
    for (const handler of [...this.topics.get(topic) ?? []]) deliver(topic, handler, message)
  }

  async subscribe(topic: string, handler: StreamHandler): Promise<() => Promise<void>> {
    const handlers = this.topics.get(topic) ?? new Set()
    this.topics.set(topic, handlers.add(handler))
    return async () => {
      handlers.delete(handler)
      if (handlers.size === 0 && this.topics.get(topic) === handlers)
        this.topics.delete(topic)
    }
  }

  async close() {
    this.topics.clear()
  }
}

function deliver(topic: string, handler: StreamHandler, message: unknown) {
  try {
    const result = handler(structuredClone(message)) as unknown
    if (result instanceof Promise)
      result.catch(error => reportHandlerError(topic, error))
  }
  catch (error) {
    reportHandlerError(topic, error)
  }
}

function reportHandlerError(topic: string, error: unknown) {
  console.error(`[nvent] a subscriber of "${topic}" threw:`, error)
}
