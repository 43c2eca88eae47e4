/**
 * The file backend: the memory adapters with every change journaled to `dir` and fsynced before it is
 * acknowledged. One process at a time per dir. It has no stream of its own: pair it with the memory stream.
 */
export { createFileQueue, type FileQueueOptions } from './queue'
export { createFileStore, type FileStoreOptions } from './store'
export type { FileOptions } from './options'
