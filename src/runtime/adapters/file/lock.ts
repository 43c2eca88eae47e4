import { randomUUID } from 'node:crypto'
import { link, open, readFile, unlink } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { type Holder, judgeHolder, LEASE_HEARTBEAT_MS, parseHolder, procReadable, thisProcess } from './lock-holder'

/** Exclusive use of a data dir by one opener. */
export interface DirLock {
  /** Gives the dir up; does nothing if the lock was taken over meanwhile. */
  release(): Promise<void>
}

/** How an opener tells whether a lock's holder is gone. */
export interface LockOptions {
  /**
   * Tell whether another process holds the lock from `/proc/<pid>/stat`; false leaves it to the lease alone,
   * as where /proc is missing. @default whether /proc is readable here
   */
  procfs?: boolean
}

/** Someone else's live lock: another process's, or this process's own (it waits for those). */
interface Blocker {
  pid: number
  thisProcess: boolean
}

const POLL_MS = 50

/**
 * Takes `<dir>/<name>.lock`. Another live process holding it is an error naming it. This process holding
 * it (a dev server's old worker thread not yet closed) is waited for, up to `timeout` ms. A lock whose
 * holder is gone (see `judgeHolder`) is taken over at once.
 */
export async function acquireLock(dir: string, name: string, timeout: number, options: LockOptions = {}): Promise<DirLock> {
  const path = join(dir, `${name}.lock`)
  const procfs = options.procfs ?? procReadable
  const deadline = Date.now() + timeout
  while (true) {
    const lock = await tryLock(path, procfs)
    if ('release' in lock)
      return lock
    if (!lock.thisProcess)
      throw new Error(`nvent: the data dir ${dir} is in use by process ${lock.pid} (lock file ${path}). Stop that process or use another dir.`)
    if (Date.now() >= deadline)
      throw new Error(`nvent: the data dir ${dir} is still open in this process (pid ${process.pid}) after ${timeout} ms; close the previous adapter first (lock file ${path}).`)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/**
 * The lock at `path`, or who keeps us out. A dead holder's file is removed only by whoever holds the
 * takeover lock `<path>.takeover`, and only if it still is the file judged dead: without that, an opener
 * that judged it dead could remove the lock another opener had just taken over, and both would hold it.
 * The takeover lock is a lock like any other, so one left by an opener that died is taken over the same way.
 */
async function tryLock(path: string, procfs: boolean): Promise<DirLock | Blocker> {
  while (true) {
    const lock = await create(path)
    if (lock)
      return lock
    const found = await readLock(path)
    if (!found)
      continue
    const verdict = await judgeHolder(found.holder, found.mtimeMs, procfs)
    if (verdict !== 'dead')
      return { pid: found.holder!.pid, thisProcess: verdict === 'this process' }
    const takeover = await tryLock(`${path}.takeover`, procfs)
    if (!('release' in takeover))
      return takeover
    try {
      if ((await readLock(path))?.text === found.text)
        await unlink(path).catch(ignoreMissing)
    }
    finally {
      await takeover.release()
    }
  }
}

/**
 * Creates the lock file, or returns undefined if one exists. The content is written to a private file
 * first and then linked into place, which fails if the name exists: nobody ever reads a lock half written.
 */
async function create(path: string): Promise<DirLock | undefined> {
  const text = JSON.stringify({ ...thisProcess, token: randomUUID() } satisfies Holder)
  const draft = `${path}.${process.pid}.${randomUUID()}`
  const handle = await open(draft, 'wx')
  try {
    await handle.writeFile(text)
    await link(draft, path)
  }
  catch (error) {
    await handle.close()
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return undefined
    throw error
  }
  finally {
    await unlink(draft).catch(() => {})
  }
  return hold(path, text, handle)
}

/**
 * Keeps the lease fresh until released, also where /proc exists: the opener decides which test applies, and
 * /proc may hide another user's processes. The handle touches this lock's own file, even if it was taken over.
 */
function hold(path: string, text: string, handle: FileHandle): DirLock {
  const heartbeat = setInterval(() => {
    const now = new Date()
    // A missed beat costs nothing where /proc decides; elsewhere the next one comes long before the lease ends.
    handle.utimes(now, now).catch(() => {})
  }, LEASE_HEARTBEAT_MS)
  heartbeat.unref()
  return {
    async release() {
      clearInterval(heartbeat)
      await handle.close()
      if (await readFile(path, 'utf8').catch(() => '') === text)
        await unlink(path).catch(() => {})
    },
  }
}

/** The lock file's text, its holder (undefined if unreadable) and when it was last refreshed; undefined if it vanished. */
async function readLock(path: string) {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return undefined
    throw error
  }
  try {
    // One handle for both: text and mtime of the same file, even if the name is replaced meanwhile.
    const [text, { mtimeMs }] = await Promise.all([handle.readFile('utf8'), handle.stat()])
    return { text, mtimeMs, holder: parseHolder(text) }
  }
  finally {
    await handle.close()
  }
}

/** A stopped holder judged dead by its lease may have released its lock meanwhile. */
function ignoreMissing(error: NodeJS.ErrnoException) {
  if (error.code !== 'ENOENT')
    throw error
}
