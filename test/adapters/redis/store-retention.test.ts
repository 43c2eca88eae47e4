/**
 * What the Redis store's retention must get right beyond the contract's cases: pruning leaves no key of a
 * removed run behind and works through any number of runs, and state that nothing clears expires whole.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../../src/runtime/adapters/redis'
import { minuteOf } from '../../../src/runtime/contracts/store'
import { RUN_MINUTES_KEPT, type StoreAdapter } from '../../../src/runtime/contracts/store'
import type { RunRecord, RunStatus } from '../../../src/runtime/types/run'
import { removeNamespaces } from '../../helpers/backend-adapters'
import { waitFor } from '../../helpers/wait'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)

function run(id: string, status: RunStatus, finishedAt?: number): RunRecord {
  const now = Date.now()
  return { id, flowName: 'f', status, input: null, steps: {}, emitted: {}, createdAt: now, updatedAt: now, finishedAt }
}

describe.skipIf(Boolean(skip))('redis store: retention', () => {
  const prefixes: string[] = []
  let prefix: string
  let store: StoreAdapter
  let observer: Redis
  beforeEach(async () => {
    prefix = `nvent-test-retention-${randomUUID()}`
    prefixes.push(prefix)
    store = await createRedisStore({ connection: { url: REDIS_URL }, prefix })
    observer ??= new Redis(REDIS_URL)
  })
  afterEach(async () => {
    await store.close()
  })
  afterAll(async () => {
    await observer.quit()
    await removeNamespaces('redis', prefixes)
  })

  /** Every key under this test's prefix, without it. */
  async function storedKeys(): Promise<string[]> {
    const found = new Set<string>()
    for await (const keys of observer.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      for (const key of keys) found.add(key.slice(prefix.length + 1))
    }
    return [...found].sort()
  }

  it('leaves no key of a pruned run behind, and drops a flow whose last run went', async () => {
    const kept = await storedKeys()
    const created = run('a', 'completed', 1)
    await store.createRun(created, [{ type: 'flow.start', runId: 'a', flowName: 'f' }])
    await store.stateSet('a', 'forever', 1)
    await store.stateSet('a', 'for a while', 2, { ttl: 600_000 })
    expect(await store.listFlows()).toEqual(['f'])
    expect(await store.pruneRuns('f', { completed: { count: 0 }, failed: {} })).toBe(1)
    // Only the creation counter remains, which a later run goes on from, and the start in the minutes'
    // history, which outlives the run and expires on its own.
    const minute = `run-minutes:${minuteOf(created.updatedAt)}`
    expect(await storedKeys()).toEqual([...kept, 'run-minutes', minute, 'run-sequence'].sort())
    for (const key of [minute, 'run-minutes'])
      expect(await observer.pttl(`${prefix}:${key}`)).toBeGreaterThan(RUN_MINUTES_KEPT)
    expect(await store.listFlows()).toEqual([])
  })

  it('prunes any number of runs in one call, a bounded batch per script', async () => {
    const total = 1_200
    const pipeline = []
    for (let i = 0; i < total; i++) pipeline.push(store.createRun(run(`r${i}`, i % 2 ? 'completed' : 'canceled', i), []))
    await Promise.all(pipeline)
    expect(await store.pruneRuns('f', { completed: { count: 10 }, failed: { age: 0 } })).toBe(total - 10)
    expect((await store.listRuns({ flow: 'f', limit: 100 })).items.map(r => r.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `r${total - 19 + 2 * i}`).sort(),
    )
  })

  it('never prunes a run that went back to running, whatever it finished as before', async () => {
    await store.createRun(run('back', 'running'), [])
    await store.updateRun('back', current => ({ run: { ...current, status: 'failed', finishedAt: 1 }, events: [] }))
    await store.updateRun('back', current => ({ run: { ...current, status: 'running', finishedAt: undefined }, events: [] }))
    expect(await store.pruneRuns('f', { completed: { count: 0 }, failed: { count: 0 } })).toBe(0)
    expect((await store.getRun('back'))?.status).toBe('running')
  })

  it('lets the state of a scope nothing clears expire with its keys, and no sooner', async () => {
    const index = `${prefix}:state-keys:job`
    await store.stateSet('job', 'short', 1, { ttl: 60_000 })
    await store.stateSet('job', 'long', 2, { ttl: 120_000 })
    // The index lives as long as its longest-lived key.
    expect(await observer.pttl(index)).toBeGreaterThan(60_000)
    await store.stateSet('job', 'forever', 3)
    expect(await observer.pttl(index)).toBe(-1)
    await store.stateDelete('job', 'forever')
    expect(await observer.pttl(index)).toBeGreaterThan(60_000)
    // A key that expired on its own leaves the index at the scope's next write.
    await store.stateSet('job', 'gone soon', 0, { ttl: 20 })
    await waitFor(async () => await store.stateGet('job', 'gone soon') === undefined, 'the key to expire')
    await store.stateSet('job', 'long', 2, { ttl: 120_000 })
    expect(await observer.zcard(index)).toBe(2)

    await store.stateSet('brief', 'a', 1, { ttl: 50 })
    await store.stateSet('brief', 'b', 2, { ttl: 100 })
    await waitFor(async () => (await storedKeys()).every(key => !key.includes('brief')), 'the scope\'s keys and index to expire')
    expect(await store.stateGet('job', 'long')).toBe(2)
  })
})
