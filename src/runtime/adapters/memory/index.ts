/** The memory backend: everything in this process, gone when it exits. The zero-config default. */
import type { QueueAdapter } from '../../contracts/queue'
import type { StoreAdapter, StoreLimits } from '../../contracts/store'
import type { StreamAdapter } from '../../contracts/stream'
import { volatileLog } from './oplog'
import { QueueBook } from './queue-book'
import type { QueueRetention } from './retention'
import { LocalQueue } from './queue'
import { StoreBook } from './store-book'
import { LocalStore } from './store'
import { LocalStream } from './stream'

export interface MemoryQueueOptions {
  /** Finished jobs kept per queue. @default { completed: { count: 1000 }, failed: { count: 5000 } } */
  retention?: QueueRetention
}

/** A job queue whose jobs, timers and workers live in this process. */
export async function createMemoryQueue(options: MemoryQueueOptions = {}): Promise<QueueAdapter> {
  return new LocalQueue(new QueueBook(), volatileLog(), options.retention)
}

/** Runs, event logs and keys in this process's memory. */
export async function createMemoryStore(options: StoreLimits = {}): Promise<StoreAdapter> {
  return new LocalStore(new StoreBook(options.eventsPerRun), volatileLog())
}

/** Publish/subscribe within this process; each handler gets its own copy of a message. */
export async function createMemoryStream(): Promise<StreamAdapter> {
  return new LocalStream()
}
