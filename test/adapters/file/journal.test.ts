// The journal on disk: torn tails, damage, JSON-only values, compaction, and named logs in snapshots.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileQueue, createFileStore } from '../../../src/runtime/adapters/file'
import { waitFor } from '../../conformance/adapter-helpers'
import { event, makeRun } from '../../conformance/store-runs'

let dir: string
const open: { close(): Promise<void> }[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nvent-journal-'))
})
afterEach(async () => {
  await Promise.all(open.splice(0).map(adapter => adapter.close()))
  rmSync(dir, { recursive: true, force: true })
})

async function openStore(options: { compactAt?: number } = {}) {
  const store = await createFileStore({ dir, ...options })
  open.push(store)
  return store
}

async function closeAll() {
  await Promise.all(open.splice(0).map(adapter => adapter.close()))
}

describe('file journal', () => {
  it('ignores a torn last line, and appends cleanly after it', async () => {
    const store = await openStore()
    await store.kvSet('a', 1)
    await store.kvSet('b', 2)
    await closeAll()
    appendFileSync(join(dir, 'store.journal'), '{"n":3,"op":{"type":"kvSet","key":"c","val')

    const reopened = await openStore()
    expect([await reopened.kvGet('a'), await reopened.kvGet('b'), await reopened.kvGet('c')]).toEqual([1, 2, undefined])
    await reopened.kvSet('d', 4)
    await closeAll()
    const again = await openStore()
    expect([await again.kvGet('a'), await again.kvGet('d')]).toEqual([1, 4])
  })

  it('refuses to open over a corrupt line that is not the last, naming the file and line', async () => {
    const store = await openStore()
    for (const key of ['a', 'b', 'c']) await store.kvSet(key, key)
    await closeAll()
    const path = join(dir, 'store.journal')
    const lines = readFileSync(path, 'utf8').split('\n')
    lines[1] = 'garbage'
    writeFileSync(path, lines.join('\n'))
    await expect(createFileStore({ dir })).rejects.toThrow(`${path} line 2 is corrupt`)
    // The failed open must not keep the dir locked.
    writeFileSync(path, '')
    await openStore()
  })

  it('refuses values JSON would change, naming where they are, and stores nothing of them', async () => {
    const store = await openStore()
    await expect(store.kvSet('when', new Date())).rejects.toThrow(/`value` is a Date.*JSON/)
    expect(await store.kvGet('when')).toBeUndefined()
    const run = makeRun('r1', { input: { ids: new Set([1]) } })
    await expect(store.createRun(run, [event(run, 'flow.start')])).rejects.toThrow(/`run.input.ids` is a Set/)
    expect(await store.getRun('r1')).toBeNull()
    await expect(store.kvSet('n', { n: Number.NaN })).rejects.toThrow(/`value.n` is NaN/)
    await store.kvSet('fine', { skipped: undefined, kept: [1] })
    expect(await store.kvGet('fine')).toEqual({ kept: [1] })
  })

  it('fails a job whose return value is not JSON, with a readable reason', async () => {
    const queue = await createFileQueue({ dir })
    open.push(queue)
    await expect(queue.enqueue('q', { name: 'n', data: { at: new Date() } })).rejects.toThrow(/`job.data.at` is a Date/)
    expect((await queue.counts('q')).waiting).toBe(0)
    queue.process('q', async () => new Map(), { concurrency: 1 })
    const id = await queue.enqueue('q', { name: 'n', data: null })
    await waitFor(async () => (await queue.getJob('q', id))?.state === 'failed', 'the job to fail')
    expect((await queue.getJob('q', id))!.failedReason).toMatch(/return value cannot be stored.*Map/)
  })

  it('compacts into a snapshot past the size limit and restores from it', async () => {
    const store = await openStore({ compactAt: 4_000 })
    const run = makeRun('r1')
    await store.createRun(run, [event(run, 'flow.start')])
    for (let i = 0; i < 200; i++) {
      await store.kvSet(`key${i}`, { i })
      await store.appendEvents('r1', [event(run, 'log', i)])
    }
    await closeAll()
    expect(existsSync(join(dir, 'store.snapshot.json'))).toBe(true)
    expect(statSync(join(dir, 'store.journal')).size).toBeLessThan(8_000)

    const reopened = await openStore({ compactAt: 4_000 })
    expect(await reopened.kvGet('key0')).toEqual({ i: 0 })
    expect(await reopened.kvGet('key199')).toEqual({ i: 199 })
    expect((await reopened.readEvents('r1', { limit: 1_000 })).map(e => e.data)).toEqual([undefined, ...Array.from({ length: 200 }, (_, i) => i)])
  })

  it('skips journal lines the snapshot already holds (a crash between snapshot and truncate)', async () => {
    const store = await openStore({ compactAt: 500 })
    for (let i = 0; i < 50; i++) await store.kvSet(`key${i}`, i)
    await closeAll()
    const { seq } = JSON.parse(readFileSync(join(dir, 'store.snapshot.json'), 'utf8')) as { seq: number }
    appendFileSync(join(dir, 'store.journal'), `${JSON.stringify({ n: seq, op: { type: 'kvSet', key: 'key0', value: 'replayed twice' } })}\n`)
    const reopened = await openStore()
    expect(await reopened.kvGet('key0')).toBe(0)
    expect(await reopened.kvGet('key49')).toBe(49)
  })

  it('commits a burst of concurrent changes, every one of them durable', async () => {
    const store = await openStore()
    await Promise.all(Array.from({ length: 500 }, (_, i) => store.kvSet(`k${i}`, i)))
    expect(readFileSync(join(dir, 'store.journal'), 'utf8').trim().split('\n')).toHaveLength(500)
  })
})

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
