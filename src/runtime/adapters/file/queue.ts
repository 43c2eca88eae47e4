import type { QueueAdapter } from '../../contracts/queue'
import { LocalQueue } from '../memory/queue'
import { QueueBook } from '../memory/queue-book'
import type { QueueRetention } from '../memory/retention'
import { Journal } from './journal'
import { type FileOptions, resolveFileOptions } from './options'

export interface FileQueueOptions extends FileOptions {
  /** Finished jobs kept per queue. @default { completed: { count: 1000 }, failed: { count: 5000 } } */
  retention?: QueueRetention
}

/**
 * The memory queue with a journal under it: jobs, their states and pauses survive a restart. Jobs that
 * were running when the process died wait again and rerun. Job data and return values must be JSON.
 */
export async function createFileQueue(options: FileQueueOptions): Promise<QueueAdapter> {
  const book = new QueueBook()
  const journal = await Journal.open(resolveFileOptions(options, 'queue'), book)
  return new LocalQueue(book, journal, options.retention)
}
