import type { JournalOptions } from './journal'

/** Options shared by the file adapters. */
export interface FileOptions {
  /** The data dir; created if missing. One queue and one store may share it. */
  dir: string
  /** Compact the journal (snapshot, then truncate) once it exceeds this many bytes. @default 8388608 (8 MiB) */
  compactAt?: number
  /**
   * How long to wait, in ms, for an adapter of this same process that still holds the dir (a dev server's
   * previous worker) to close. Another process holding it fails at once. @default 10000
   */
  lockTimeout?: number
}

export function resolveFileOptions(options: FileOptions, name: 'queue' | 'store'): JournalOptions {
  return { dir: options.dir, name, compactAt: options.compactAt ?? 8 * 1024 * 1024, lockTimeout: options.lockTimeout ?? 10_000 }
}
