import { mkdir, open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { OpBook, OpLog } from '../memory/oplog'
import { encodeJson } from './json'
import { acquireLock, type DirLock } from './lock'
import { readSnapshot, replayJournal, syncDir, writeFileDurably } from './replay'

/** A state the journal can persist: rebuilt from a snapshot plus the ops after it. */
export interface JournaledBook<Op, State> extends OpBook<Op> {
  snapshot(): State
  restore(snapshot: State): void
}

export interface JournalOptions {
  dir: string
  /** Names the files: `<name>.journal`, `<name>.snapshot.json`, `<name>.lock`. */
  name: string
  /** Compact once the journal is larger than this many bytes. */
  compactAt: number
  /** How long to wait for this process's previous opener of the dir to close, in ms. */
  lockTimeout: number
}

interface Batch {
  lines: string[]
  promise: Promise<void>
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * An op log on disk. Each op is one JSON line `{"n":seq,"op":...}`; the ops recorded in the same tick
 * share one write and one fsync (group commit), and their promises resolve only after it. Past
 * `compactAt` bytes the state is written as a snapshot (temp file, fsync, rename) and the journal
 * truncated; the snapshot records the last seq it contains, so a crash between the two replays nothing twice.
 */
export class Journal<Op, State = unknown> implements OpLog<Op> {
  private batch?: Batch
  private writing?: Promise<void>
  private failure?: Error

  private constructor(
    private readonly options: JournalOptions,
    private readonly book: JournaledBook<Op, State>,
    private readonly handle: FileHandle,
    private readonly lock: DirLock,
    private seq: number,
    private size: number,
  ) {}

  /** Locks the dir, then rebuilds `book` from the snapshot and the journal. */
  static async open<Op, State>(options: JournalOptions, book: JournaledBook<Op, State>): Promise<Journal<Op, State>> {
    await mkdir(options.dir, { recursive: true })
    const lock = await acquireLock(options.dir, options.name, options.lockTimeout)
    try {
      const snapshot = await readSnapshot(snapshotPath(options))
      if (snapshot)
        book.restore(snapshot.state as State)
      const replayed = await replayJournal<Op>(journalPath(options), snapshot?.seq ?? 0, op => book.apply(op))
      const handle = await open(journalPath(options), 'a')
      return new Journal(options, book, handle, lock, Math.max(snapshot?.seq ?? 0, replayed.seq), replayed.size)
    }
    catch (error) {
      await lock.release()
      throw error
    }
  }

  record(op: Op): Promise<void> {
    if (this.failure)
      throw this.failure
    const line = `{"n":${this.seq + 1},"op":${encodeJson(op, 'this change')}}\n`
    this.seq++
    if (!this.batch) {
      let resolve!: () => void
      let reject!: (error: unknown) => void
      const promise = new Promise<void>((res, rej) => [resolve, reject] = [res, rej])
      this.batch = { lines: [], promise, resolve, reject }
      // A rejection nobody awaits is still reported by whoever awaits it; never an unhandled rejection here.
      promise.catch(() => {})
      if (!this.writing)
        this.writing = new Promise(resolve => setImmediate(resolve)).then(() => this.drain())
    }
    this.batch.lines.push(line)
    return this.batch.promise
  }

  async settled() {
    await (this.batch?.promise ?? this.writing)
  }

  async close() {
    await this.writing
    await this.handle.close()
    await this.lock.release()
  }

  /** Writes batches until none is pending; runs alone, so the file sees batches in order. */
  private async drain() {
    while (this.batch) {
      const batch = this.batch
      this.batch = undefined
      // Taken in the same step as the batch: the state holds exactly the ops up to this seq.
      const snapshot = this.size > this.options.compactAt ? { seq: this.seq, state: this.book.snapshot() } : undefined
      try {
        const text = batch.lines.join('')
        await this.handle.write(text)
        await this.handle.datasync()
        this.size += Buffer.byteLength(text)
        batch.resolve()
        if (snapshot)
          await this.compact(snapshot)
      }
      catch (error) {
        this.failure ??= new Error(`nvent: writing ${journalPath(this.options)} failed; changes are no longer saved`, { cause: error })
        // Ops recorded while this write failed cannot follow it to disk either.
        const next = this.batch as Batch | undefined
        this.batch = undefined
        batch.reject(this.failure)
        next?.reject(this.failure)
      }
    }
    this.writing = undefined
  }

  private async compact(snapshot: { seq: number, state: unknown }) {
    await writeFileDurably(snapshotPath(this.options), JSON.stringify(snapshot))
    await syncDir(this.options.dir)
    await this.handle.truncate(0)
    await this.handle.datasync()
    this.size = 0
  }
}

function journalPath(options: JournalOptions) {
  return join(options.dir, `${options.name}.journal`)
}

function snapshotPath(options: JournalOptions) {
  return join(options.dir, `${options.name}.snapshot.json`)
}
