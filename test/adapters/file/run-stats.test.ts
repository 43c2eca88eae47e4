// The monitor's counters and run indexes across a restart: rebuilt by replaying the journal, restored from a
// snapshot (minutes saved, counts recounted), and from a snapshot written before they existed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileStore } from '../../../src/runtime/adapters/file'
import type { StoreAdapter } from '../../../src/runtime/contracts/store'
import { event, makeRun } from '../../conformance/store-runs'

const MINUTE = 60_000
const T0 = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE

let dir: string
let store: StoreAdapter | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nvent-run-stats-'))
})
afterEach(async () => {
  await store?.close()
  store = undefined
  rmSync(dir, { recursive: true, force: true })
})

async function reopen(compactAt?: number): Promise<StoreAdapter> {
  await store?.close()
  return store = await createFileStore({ dir, compactAt })
}

/** Three runs of two flows, one finished a minute later, and a fourth pruned (out of the counts, not the minutes). */
async function fill(target: StoreAdapter) {
  for (const [i, flowName] of ['orders', 'mail', 'orders', 'orders'].entries())
    await target.createRun(makeRun(`r${i}`, { flowName, createdAt: T0 + i, updatedAt: T0 + i }), [])
  for (const id of ['r0', 'r3']) {
    await target.updateRun(id, run => ({
      run: { ...run, status: 'completed', finishedAt: T0 + MINUTE + Number(id[1]), updatedAt: T0 + MINUTE },
      events: [event(run, 'flow.completed')],
    }))
  }
  await target.pruneRuns('orders', { completed: { count: 1 }, failed: {} })
}

const expected = {
  flows: { orders: { running: 1, completed: 1 }, mail: { running: 1 } },
  minutes: [
    { minute: T0, started: 4, completed: 0, failed: 0, canceled: 0, stalled: 0 },
    { minute: T0 + MINUTE, started: 0, completed: 2, failed: 0, canceled: 0, stalled: 0 },
  ],
}

describe('file store run counters', () => {
  it('rebuilds counts, minutes and the run index by replaying the journal', async () => {
    await fill(await reopen())
    const reopened = await reopen()
    expect(await reopened.runStats(T0)).toEqual(expected)
    expect((await reopened.listRuns({ flow: 'orders' })).items.map(run => run.id)).toEqual(['r3', 'r2'])
    expect(await reopened.listRuns({ status: 'running' })).toMatchObject({ total: 2 })
  })

  it('keeps the minutes in the snapshot and recounts the counts from its runs', async () => {
    await fill(await reopen(200))
    const reopened = await reopen(200)
    const { state } = JSON.parse(readFileSync(join(dir, 'store.snapshot.json'), 'utf8'))
    expect(state.minutes.length).toBeGreaterThan(0)
    expect(await reopened.runStats(T0)).toEqual(expected)
    expect((await reopened.listRuns({ limit: 1 })).items.map(run => run.id)).toEqual(['r3'])
  })

  it('opens a snapshot written before the counters existed: counts from its runs, minutes from then on', async () => {
    const runs = [makeRun('old', { createdAt: T0, updatedAt: T0 }), makeRun('done', { status: 'failed', createdAt: T0 + 1, updatedAt: T0 + 1 })]
    const state = { order: 2, runs: runs.map((run, i) => ({ run, events: [], order: i + 1 })), kv: [] }
    writeFileSync(join(dir, 'store.snapshot.json'), JSON.stringify({ seq: 1, state }))
    const reopened = await reopen()
    expect(await reopened.runStats(T0)).toEqual({ flows: { orders: { running: 1, failed: 1 } }, minutes: [] })
    await reopened.createRun(makeRun('new', { createdAt: T0 + 2, updatedAt: T0 + 2 }), [])
    expect((await reopened.listRuns()).items.map(run => run.id)).toEqual(['new', 'done', 'old'])
    expect((await reopened.runStats(T0)).minutes).toEqual([{ minute: T0, started: 1, completed: 0, failed: 0, canceled: 0, stalled: 0 }])
  })
})
