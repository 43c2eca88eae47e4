// One opener per data dir: another process is refused by name, this process waits its turn, and a lock
// whose holder is gone (dead, a zombie, its pid reused) is taken over at once.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileQueue, createFileStore } from '../../../src/runtime/adapters/file'
import { acquireLock } from '../../../src/runtime/adapters/file/lock'
import { LEASE_STALE_MS } from '../../../src/runtime/adapters/file/lock-holder'
import { waitFor } from '../../helpers/wait'
import { type Child, crash, startChild, startUnreapedChild } from './child'

let dir: string
const open: { close(): Promise<void> }[] = []
const processes: ChildProcess[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nvent-lock-'))
})
afterEach(async () => {
  // SIGKILL also ends a stopped process.
  for (const proc of processes.splice(0)) proc.kill('SIGKILL')
  await Promise.all(open.splice(0).map(adapter => adapter.close()))
  rmSync(dir, { recursive: true, force: true })
})

async function track<T extends { close(): Promise<void> }>(adapter: Promise<T>): Promise<T> {
  open.push(await adapter)
  return open.at(-1) as T
}

/** Starts a child that holds the dir's queue lock; resolves with it and the pid that holds the lock. */
async function holdingChild(start: (dir: string, ...args: string[]) => Child = startChild) {
  const child = start(dir, 'hold')
  processes.push(child.proc)
  const pid = Number((await child.printed('opened by')).match(/opened by (\d+)/)![1])
  return { child, pid }
}

/** State and start time in clock ticks since boot of a process, read from /proc/<pid>/stat (fields 3 and 22). */
function procStat(pid: number) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: fields[0], start: Number(fields[19]) }
}

/** Sets the lock file's mtime (the lease) `age` ms into the past. */
function ageLease(age: number) {
  const when = new Date(Date.now() - age)
  utimesSync(join(dir, 'queue.lock'), when, when)
}

const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()

describe('file backend lock', () => {
  it('refuses a second process, naming the dir and the pid that holds it', async () => {
    await track(createFileQueue({ dir }))
    const child = startChild(dir, 'open')
    const output = await child.printed('error:')
    expect(output).toContain(dir)
    expect(output).toContain(`process ${process.pid}`)
    expect(await child.exited()).toBe(1)
  })

  it('lets another process in once the holder closed', async () => {
    const queue = await createFileQueue({ dir })
    await queue.close()
    const child = startChild(dir, 'open')
    await child.printed('opened')
    expect(await child.exited()).toBe(0)
  })

  it('takes over the lock of a process that died holding it', async () => {
    const child = startChild(dir, 'hold')
    await child.printed('opened')
    await crash(child)
    const queue = await track(createFileQueue({ dir }))
    expect(await queue.counts('q')).toMatchObject({ waiting: 0 })
  })

  it('takes over a lock left with this pid by an earlier process (a container restarted as pid 1)', async () => {
    writeFileSync(join(dir, 'queue.lock'), JSON.stringify({ pid: process.pid, startedAt: Date.now() - 3_600_000, token: 'old' }))
    const queue = await track(createFileQueue({ dir, lockTimeout: 100 }))
    expect(await queue.counts('q')).toMatchObject({ waiting: 0 })
  })

  it('makes the same process wait until its previous opener closes', async () => {
    const first = await createFileStore({ dir })
    let opened = false
    const second = track(createFileStore({ dir })).then((store) => {
      opened = true
      return store
    })
    await new Promise(resolve => setTimeout(resolve, 120))
    expect(opened).toBe(false)
    await first.close()
    await second
    expect(opened).toBe(true)
  })

  it('gives up waiting on this process after lockTimeout, saying why', async () => {
    await track(createFileStore({ dir }))
    await expect(createFileStore({ dir, lockTimeout: 100 })).rejects.toThrow(/still open in this process.*close the previous adapter/)
  })

  it('lets a queue and a store share one dir', async () => {
    const queue = await track(createFileQueue({ dir }))
    const store = await track(createFileStore({ dir }))
    await queue.enqueue('q', { name: 'n', data: 1 })
    await store.kvSet('k', 1)
    expect(await store.kvGet('k')).toBe(1)
  })
})

describe.runIf(process.platform === 'linux')('file backend lock: telling a dead holder on Linux', () => {
  it('takes over at once from a holder that died but is not reaped yet (a zombie)', async () => {
    const { pid } = await holdingChild(startUnreapedChild)
    process.kill(pid, 'SIGKILL')
    await waitFor(() => procStat(pid).state === 'Z', 'the killed holder to be a zombie')
    const queue = await track(createFileQueue({ dir, lockTimeout: 100 }))
    expect(await queue.counts('q')).toMatchObject({ waiting: 0 })
    expect(procStat(pid).state).toBe('Z')
  })

  it('takes over a lock naming a live process that started at another time (its pid reused)', async () => {
    const sleeper = spawn('sleep', ['60'])
    processes.push(sleeper)
    const pid = sleeper.pid!
    const lock = (start: number) => writeFileSync(join(dir, 'queue.lock'), JSON.stringify({ pid, boot: bootId(), start, startedAt: Date.now(), token: 'old' }))
    // The same file naming the sleeper's own start time is the sleeper's lock: refused.
    lock(procStat(pid).start)
    await expect(createFileQueue({ dir, lockTimeout: 100 })).rejects.toThrow(`in use by process ${pid}`)
    lock(procStat(pid).start - 100)
    const queue = await track(createFileQueue({ dir, lockTimeout: 100 }))
    expect(await queue.counts('q')).toMatchObject({ waiting: 0 })
  })

  it('still refuses a holder that is stopped (SIGSTOP), however old its lease', async () => {
    const { child, pid } = await holdingChild()
    child.proc.kill('SIGSTOP')
    await waitFor(() => procStat(pid).state === 'T', 'the holder to stop')
    ageLease(LEASE_STALE_MS * 6)
    await expect(createFileQueue({ dir, lockTimeout: 100 })).rejects.toThrow(`in use by process ${pid}`)
    child.proc.kill('SIGCONT')
    await crash(child)
  })

  it('gives a dead holder\'s lock to exactly one of the openers racing for it', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 20; round++) {
      // Left by an earlier process with this pid: dead, and every opener here sees it so at the same time.
      writeFileSync(join(dir, 'queue.lock'), JSON.stringify({ pid: process.pid, boot: bootId(), start: 1, startedAt: 0, token: `old ${round}` }))
      const openers = await Promise.allSettled(Array.from({ length: 6 }, () => acquireLock(dir, 'queue', 200)))
      const winners = openers.filter(opener => opener.status === 'fulfilled')
      expect(winners, `round ${round}`).toHaveLength(1)
      await winners[0]!.value.release()
    }
  })

  it('takes over an unreadable lock file at once (nvent only ever links a complete one into place)', async () => {
    writeFileSync(join(dir, 'queue.lock'), '{"pid":')
    const queue = await track(createFileQueue({ dir, lockTimeout: 100 }))
    expect(await queue.counts('q')).toMatchObject({ waiting: 0 })
  })
})

describe('file backend lock: the lease, where /proc cannot tell', () => {
  it('takes over a live holder whose heartbeat stopped, once its lease is older than the stale window', { timeout: 60_000 }, async () => {
    const { child, pid } = await holdingChild()
    const leaseAge = () => Date.now() - statSync(join(dir, 'queue.lock')).mtimeMs
    // A running holder refreshes its lease.
    ageLease(LEASE_STALE_MS * 6)
    await waitFor(() => leaseAge() < LEASE_STALE_MS / 2, 'the holder\'s heartbeat')
    await expect(acquireLock(dir, 'queue', 100, { procfs: false })).rejects.toThrow(`in use by process ${pid}`)

    child.proc.kill('SIGSTOP')
    if (process.platform === 'linux')
      await waitFor(() => procStat(pid).state === 'T', 'the holder to stop')
    ageLease(LEASE_STALE_MS - 2_000)
    await expect(acquireLock(dir, 'queue', 100, { procfs: false })).rejects.toThrow(`in use by process ${pid}`)
    ageLease(LEASE_STALE_MS + 1_000)
    const lock = await acquireLock(dir, 'queue', 100, { procfs: false })
    await lock.release()
  })
})
