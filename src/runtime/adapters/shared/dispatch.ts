import { consola } from 'consola'
import type { StreamHandler } from '../../contracts/stream'
import { copy } from './copy'

/**
 * Hands one message to each of `handlers`, each getting its own copy from `copy` so no two handlers share
 * (and can change) one object. A handler that throws or rejects is reported under `topic` and keeps the
 * message from nobody else.
 */
export function dispatch(topic: string, handlers: Iterable<StreamHandler>, copy: () => unknown): void {
  // A snapshot: a handler may unsubscribe while we deliver.
  for (const handler of [...handlers]) {
    try {
      const result = handler(copy()) as unknown
      if (result instanceof Promise)
        result.catch(error => reportHandlerError(topic, error))
    }
    catch (error) {
      reportHandlerError(topic, error)
    }
  }
}

function reportHandlerError(topic: string, error: unknown) {
  consola.withTag('nvent').error(`a subscriber of "${topic}" threw:`, error)
}

/** The handlers of each topic in one process: what the memory and PostgreSQL streams deliver to. */
export class TopicHandlers {
  private readonly topics = new Map<string, Set<StreamHandler>>()

  /** Adds `handler` to `topic`; the returned function removes it again (and the topic with its last one). */
  add(topic: string, handler: StreamHandler): () => void {
    const handlers = this.topics.get(topic) ?? new Set()
    this.topics.set(topic, handlers.add(handler))
    return () => {
      handlers.delete(handler)
      // The set may have been dropped by clear() and replaced since: only remove our own.
      if (handlers.size === 0 && this.topics.get(topic) === handlers)
        this.topics.delete(topic)
    }
  }

  has(topic: string): boolean {
    return this.topics.has(topic)
  }

  /** Dispatches `message` to the handlers of `topic`, a structured clone each. */
  deliver(topic: string, message: unknown): void {
    dispatch(topic, this.topics.get(topic) ?? [], () => copy(message))
  }

  clear(): void {
    this.topics.clear()
  }
}
