/**
 * What the Redis store's monitor queries must get right beyond the contract's cases: an id prefix gives
 * the same runs whichever index the script walks, and runs written before the global indexes and counters
 * existed are indexed and counted once when a store opens.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../../src/runtime/adapters/redis'
import type { RunQuery, StoreAdapter } from '../../../src/runtime/contracts/store'
import { RUN_STATUSES, type RunRecord, type RunStatus } from '../../../src/runtime/types/run'
import { removeNamespaces } from '../../helpers/backend-adapters'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)

function run(id: string, flowName: string, status: RunStatus, createdAt: number): RunRecord {
  return { id, flowName, status, input: null, steps: {}, emitted: {}, createdAt, updatedAt: createdAt }
}

async function ids(store: StoreAdapter, query: RunQuery): Promise<{ ids: string[], total: number }> {
  const found: string[] = []
  let page = await store.listRuns({ ...query, limit: 2 })
  found.push(...page.items.map(r => r.id))
  while (page.cursor) {
    page = await store.listRuns({ ...query, limit: 2, cursor: page.cursor })
    found.push(...page.items.map(r => r.id))
  }
  return { ids: found, total: page.total }
}

describe.skipIf(Boolean(skip))('redis store: monitor queries', () => {
  const prefixes: string[] = []
  async function open(prefix = `nvent-test-queries-${randomUUID()}`) {
    prefixes.push(prefix)
    return { prefix, store: await createRedisStore({ connection: { url: REDIS_URL }, prefix }) }
  }
  afterAll(async () => {
    await removeNamespaces('redis', prefixes)
  })

  it('finds runs by id prefix through the id index or the run index alike, ids with colons too', async () => {
    const { store } = await open()
    // Flow `few` is smaller than the prefix's matches, flow `many` larger: the script walks each a different way.
    await store.createRun(run('a', 'few', 'running', 1), [])
    await store.createRun(run('a:1', 'few', 'running', 2), [])
    for (let i = 0; i < 6; i++) await store.createRun(run(`a:x${i}`, 'many', 'running', 10 + i), [])
    for (let i = 0; i < 20; i++) await store.createRun(run(`b${i}`, 'many', 'running', 10), [])

    expect(await ids(store, { idPrefix: 'a:' })).toEqual({ ids: ['a:x5', 'a:x4', 'a:x3', 'a:x2', 'a:x1', 'a:x0', 'a:1'], total: 7 })
    expect(await ids(store, { idPrefix: 'a:', flow: 'few' })).toEqual({ ids: ['a:1'], total: 1 })
    expect(await ids(store, { idPrefix: 'a', flow: 'few' })).toEqual({ ids: ['a:1', 'a'], total: 2 })
    expect(await ids(store, { idPrefix: 'a:x', flow: 'many', from: 12, to: 15 })).toEqual({ ids: ['a:x4', 'a:x3', 'a:x2'], total: 3 })
    // Created in the same millisecond: newest first by creation, across pages.
    const b1 = ['b19', 'b18', 'b17', 'b16', 'b15', 'b14', 'b13', 'b12', 'b11', 'b10', 'b1']
    expect(await ids(store, { idPrefix: 'b1', flow: 'many' })).toEqual({ ids: b1, total: 11 })
    await store.close()
  })

  it('indexes and counts runs written before the global indexes once, when stores open', async () => {
    const { prefix, store } = await open()
    await store.createRun(run('r0', 'orders', 'running', 1), [])
    await store.createRun(run('r1', 'orders', 'running', 2), [])
    await store.createRun(run('r2', 'mail', 'completed', 3), [])
    await store.updateRun('r1', current => ({ run: { ...current, steps: { wait: { status: 'awaiting', attempt: 0, queuedAt: 0 } } }, events: [] }))
    const expected = { orders: { running: 2, awaiting: 1 }, mail: { completed: 1 } }
    expect((await store.runStats(0)).flows).toEqual(expected)
    await store.close()

    // What a store of the previous version left: no global indexes, no counts.
    const client = new Redis(REDIS_URL)
    const added = ['index-version', 'all-runs', 'run-ids', 'run-counts', ...RUN_STATUSES.map(status => `all-status-runs:${status}`)]
    await client.del(...added.map(key => `${prefix}:${key}`))
    await client.quit()

    const stores = await Promise.all([open(prefix), open(prefix)])
    const [{ store: reopened }] = stores
    expect((await reopened.runStats(0)).flows).toEqual(expected)
    expect(await ids(reopened, {})).toEqual({ ids: ['r2', 'r1', 'r0'], total: 3 })
    expect(await ids(reopened, { status: 'running' })).toEqual({ ids: ['r1', 'r0'], total: 2 })
    expect(await ids(reopened, { idPrefix: 'r2' })).toEqual({ ids: ['r2'], total: 1 })
    // Later changes count on from the rebuilt figures.
    await reopened.updateRun('r0', current => ({ run: { ...current, status: 'failed' }, events: [] }))
    expect((await reopened.runStats(0)).flows.orders).toEqual({ running: 1, awaiting: 1, failed: 1 })
    await Promise.all(stores.map(({ store }) => store.close()))
  })
})
