/** What the Redis store must get right beyond the contract's cases: concurrency on a shared connection, index order. */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../../src/runtime/adapters/redis'
import type { StoreAdapter } from '../../../src/runtime/contracts/store'
import type { RunRecord } from '../../../src/runtime/types/run'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)
const base = `nvent-test-store-${randomUUID()}`

function run(id: string, createdAt: number): RunRecord {
  return { id, flowName: 'f', status: 'running', input: null, steps: {}, emitted: { count: 0 }, createdAt, updatedAt: createdAt }
}

describe.skipIf(Boolean(skip))('redis store', () => {
  let store: StoreAdapter
  let other: StoreAdapter
  beforeEach(async () => {
    const prefix = `${base}-${randomUUID()}`
    // Two adapters on one connection config: they share one client, as adapters of one app do.
    store = await createRedisStore({ connection: { url: REDIS_URL }, prefix })
    other = await createRedisStore({ connection: { url: REDIS_URL }, prefix })
  })
  afterEach(async () => {
    await Promise.all([store.close(), other.close()])
  })
  afterAll(async () => {
    const client = new Redis(REDIS_URL)
    for await (const keys of client.scanStream({ match: `${base}-*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0)
        await client.unlink(...keys)
    }
    await client.quit()
  })

  it('applies every one of many concurrent transitions exactly once, recomputing on conflict', async () => {
    await store.createRun(run('r', 1), [])
    const increment = (current: RunRecord) => ({
      run: { ...current, emitted: { count: (current.emitted.count as number) + 1 } },
      events: [{ type: 'state' as const, runId: 'r', flowName: 'f', data: current.emitted.count }],
    })
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).updateRun('r', increment)))
    expect((await store.getRun('r'))!.emitted.count).toBe(40)
    // Each committed transition saw the count the one before it left.
    expect((await store.readEvents('r')).map(e => e.data)).toEqual(Array.from({ length: 40 }, (_, i) => i))
  })

  it('pages runs created in the same millisecond newest first, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await store.createRun(run(`run-${i}`, i < 2 ? 5 : 9), [])
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await store.listRuns({ flow: 'f', limit: 2, cursor })
      expect(page.total).toBe(7)
      seen.push(...page.items.map(r => r.id))
      cursor = page.cursor
    } while (cursor)
    expect(seen).toEqual(['run-6', 'run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0'])
  })

  it('moves a run between status indexes with its transition', async () => {
    await store.createRun(run('a', 1), [])
    await store.createRun(run('b', 2), [])
    await store.updateRun('a', current => ({ run: { ...current, status: 'completed' }, events: [] }))
    expect((await store.listRuns({ flow: 'f', status: 'running' })).items.map(r => r.id)).toEqual(['b'])
    expect((await store.listRuns({ flow: 'f', status: 'completed' })).items.map(r => r.id)).toEqual(['a'])
  })

  it('keeps the later updatedAt when a transition computed earlier commits after appended events', async () => {
    await store.createRun(run('r', 1), [])
    const [appended] = await store.appendEvents('r', [{ type: 'log', runId: 'r', flowName: 'f', data: 'x' }])
    const done = await store.updateRun('r', current => ({ run: { ...current, updatedAt: 2 }, events: [] }))
    expect(done!.run.updatedAt).toBe(appended!.ts)
    expect((await store.getRun('r'))!.updatedAt).toBe(appended!.ts)
  })
})
