// Named logs in the file store's snapshots: compacted with the rest, and absent from older snapshots.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileStore } from '../../../adapters/file'
import type { StoreAdapter } from '../../../runtime/contracts/store'

let dir: string
const open: StoreAdapter[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nvent-logs-'))
})
afterEach(async () => {
  await Promise.all(open.splice(0).map(store => store.close()))
  rmSync(dir, { recursive: true, force: true })
})

async function openStore(options: { compactAt?: number } = {}) {
  const store = await createFileStore({ dir, ...options })
  open.push(store)
  return store
}

async function closeAll() {
  await Promise.all(open.splice(0).map(store => store.close()))
}

describe('file store logs', () => {
  it('restores capped logs from a snapshot and goes on numbering after them', async () => {
    const store = await openStore({ compactAt: 2_000 })
    for (let i = 0; i < 100; i++) await store.logAppend('fired', { i }, { maxLength: 3 })
    const before = await store.logRead('fired')
    await closeAll()
    expect(existsSync(join(dir, 'store.snapshot.json'))).toBe(true)

    const reopened = await openStore({ compactAt: 2_000 })
    expect(await reopened.logRead('fired')).toEqual(before)
    expect(before.items.map(e => e.data)).toEqual([{ i: 99 }, { i: 98 }, { i: 97 }])
    const next = await reopened.logAppend('fired', { i: 100 }, { maxLength: 3 })
    expect(next.id > before.items[0]!.id).toBe(true)
    expect((await reopened.logRead('fired')).items).toEqual([next, ...before.items.slice(0, 2)])
  })

  it('opens a snapshot written before named logs existed', async () => {
    const state = { order: 0, runs: [], kv: [['kept', { value: { v: 1 } }]] }
    writeFileSync(join(dir, 'store.snapshot.json'), JSON.stringify({ seq: 1, state }))
    const store = await openStore()
    expect(await store.kvEntries('')).toEqual([{ key: 'kept', value: { v: 1 } }])
    expect(await store.logRead('fired')).toEqual({ items: [] })
    await store.logAppend('fired', 'first', { maxLength: 5 })
    await closeAll()
    expect((await (await openStore()).logRead('fired')).items.map(e => e.data)).toEqual(['first'])
  })

  it('refuses entry data JSON would change, and appends nothing', async () => {
    const store = await openStore()
    await expect(store.logAppend('fired', { at: new Date() }, { maxLength: 5 })).rejects.toThrow(/`entry.data.at` is a Date/)
    expect(await store.logRead('fired')).toEqual({ items: [] })
  })
})
