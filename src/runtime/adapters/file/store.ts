import type { StoreAdapter, StoreLimits } from '../../contracts/store'
import { LocalStore } from '../memory/store'
import { StoreBook } from '../memory/store-book'
import { Journal } from './journal'
import { type FileOptions, resolveFileOptions } from './options'

export type FileStoreOptions = FileOptions & StoreLimits

/**
 * The memory store with a journal under it: runs, event logs, state, keys and named logs survive a restart.
 * Stored values (run input, outputs, event data, kv values, log entries) must be JSON; anything else is
 * refused with its path.
 */
export async function createFileStore(options: FileStoreOptions): Promise<StoreAdapter> {
  const book = new StoreBook(options.eventsPerRun)
  const journal = await Journal.open(resolveFileOptions(options, 'store'), book)
  return new LocalStore(book, journal)
}
