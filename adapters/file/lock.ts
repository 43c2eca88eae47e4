import { randomUUID } from 'node:crypto'
import { readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Exclusive use of a data dir by one opener. */
export interface DirLock {
  /** Gives the dir up; does nothing if the lock was taken over meanwhile. */
  release(): Promise<void>
}

interface Holder {
  pid: number
  /** When the holding process started; tells this process from an earlier one that had the same pid. */
  startedAt: number
  token: string
}

const POLL_MS = 50
/** A lock file still empty after this long was left by an opener that died while creating it. */
const UNWRITTEN_GRACE_MS = 2_000
/** Shared by every thread of this process, unlike anything held in a module. */
const processStartedAt = Math.round(Date.now() - process.uptime() * 1000)

/**
 * Takes `<dir>/<name>.lock`. Another live process holding it is an error naming it. This process holding
 * it (a dev server's old worker thread not yet closed) is waited for, up to `timeout` ms. A lock left by a
 * dead process is taken over.
 */
export async function acquireLock(dir: string, name: string, timeout: number): Promise<DirLock> {
  const path = join(dir, `${name}.lock`)
  const own: Holder = { pid: process.pid, startedAt: processStartedAt, token: randomUUID() }
  const deadline = Date.now() + timeout
  while (true) {
    try {
      await writeFile(path, JSON.stringify(own), { flag: 'wx' })
      return { release: () => releaseLock(path, own.token) }
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw error
    }
    const holder = await readHolder(path)
    if (holder === 'stale') {
      await unlink(path).catch(() => {})
      continue
    }
    if (holder && holder.pid !== process.pid)
      throw new Error(`nvent: the data dir ${dir} is in use by process ${holder.pid} (lock file ${path}). Stop that process or use another dir.`)
    if (Date.now() >= deadline)
      throw new Error(`nvent: the data dir ${dir} is still open in this process (pid ${process.pid}) after ${timeout} ms; close the previous adapter first (lock file ${path}).`)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

/** The live holder, 'stale' when its process is gone, or undefined when the lock vanished or is being written. */
async function readHolder(path: string): Promise<Holder | 'stale' | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  }
  catch {
    return undefined
  }
  try {
    const holder = JSON.parse(text) as Holder
    return isCurrent(holder) ? holder : 'stale'
  }
  catch {
    const writtenAt = await stat(path).then(info => info.mtimeMs, () => undefined)
    return writtenAt !== undefined && Date.now() - writtenAt > UNWRITTEN_GRACE_MS ? 'stale' : undefined
  }
}

function isCurrent(holder: Holder): boolean {
  // In a container the app is often pid 1 on every start: the same pid is only this process if it started
  // when we did (a second of slack for clock rounding).
  if (holder.pid === process.pid)
    return Math.abs(holder.startedAt - processStartedAt) < 1_000
  return isAlive(holder.pid)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function releaseLock(path: string, token: string) {
  const text = await readFile(path, 'utf8').catch(() => '')
  if (text.includes(token))
    await unlink(path).catch(() => {})
}
