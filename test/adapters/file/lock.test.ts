// One opener per data dir: another process is refused by name, this process waits its turn.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileQueue, createFileStore } from '../../../adapters/file'
import { crash, startChild } from './child'

let dir: string
const open: { close(): Promise<void> }[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nvent-lock-'))
})
afterEach(async () => {
  await Promise.all(open.splice(0).map(adapter => adapter.close()))
  rmSync(dir, { recursive: true, force: true })
})

async function track<T extends { close(): Promise<void> }>(adapter: Promise<T>): Promise<T> {
  open.push(await adapter)
  return open.at(-1) as T
}

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
