/** Redis keeps JSON: values come back with the types they went in with, and others are refused, never mangled. */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../../src/runtime/adapters/redis'
import type { QueueAdapter } from '../../../src/runtime/contracts/queue'
import type { StoreAdapter } from '../../../src/runtime/contracts/store'
import type { RunRecord } from '../../../src/runtime/types/run'
import { waitFor } from '../../conformance/adapter-helpers'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)
const connection = { url: REDIS_URL }
const base = `nvent-test-fidelity-${randomUUID()}`
const prefix = () => `${base}-${randomUUID()}`

afterAll(async () => {
  if (skip)
    return
  const client = new Redis(REDIS_URL)
  for await (const keys of client.scanStream({ match: `${base}-*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0)
      await client.unlink(...keys)
  }
  await client.quit()
})

/** Everything JSON can carry, at the edges that a lossy encoding would bend. */
const tricky = {
  big: Number.MAX_SAFE_INTEGER,
  small: -Number.MAX_SAFE_INTEGER,
  fraction: 0.1 + 0.2,
  tiny: 5e-324,
  emptyArray: [] as unknown[],
  emptyObject: {},
  nested: [[[]], [{}], { a: [null, false, 0, ''] }],
  text: 'ünïcødé ✓ "quotes" \n newline',
  numericString: '00123',
  boolean: true,
  nothing: null,
}

describe.skipIf(Boolean(skip))('redis adapters: value fidelity', () => {
  let store: StoreAdapter | undefined
  let queue: QueueAdapter | undefined
  afterEach(async () => {
    await Promise.all([store?.close(), queue?.close()])
    store = queue = undefined
  })

  function run(id: string, input: unknown): RunRecord {
    const now = Date.now()
    return { id, flowName: 'f', status: 'running', input, steps: {}, emitted: {}, createdAt: now, updatedAt: now }
  }

  it('returns run records, events and kv values with the types they were stored with', async () => {
    store = await createRedisStore({ connection, prefix: prefix() })
    const id = randomUUID()
    await store.createRun(run(id, tricky), [{ type: 'flow.start', runId: id, flowName: 'f', data: tricky }])
    expect((await store.getRun(id))!.input).toEqual(tricky)
    expect((await store.readEvents(id))[0]!.data).toEqual(tricky)
    await store.kvSet('k', tricky)
    expect(await store.kvGet('k')).toEqual(tricky)
    await store.kvSet('zero', 0)
    await store.kvSet('text', '42')
    expect([await store.kvGet('zero'), await store.kvGet('text'), await store.kvGet('absent')]).toEqual([0, '42', undefined])
  })

  it('returns job data, options and return values unchanged', async () => {
    queue = await createRedisQueue({ connection, prefix: prefix() })
    queue.process('q', async job => job.data, { concurrency: 1 })
    const opts = { jobId: '42', attempts: 2, backoff: { type: 'fixed' as const, delay: 86_400_000_123 }, removeOnComplete: { age: 3_600_000 } }
    const id = await queue.enqueue('q', { name: 'echo', data: tricky, opts })
    expect(id).toBe('42')
    const job = await waitFor(async () => {
      const found = await queue!.getJob('q', id)
      return found?.state === 'completed' ? found : null
    }, 'the echo job to complete')
    expect(job.data).toEqual(tricky)
    expect(job.returnValue).toEqual(tricky)
    expect(job.opts).toEqual(opts)
  })

  it('refuses what JSON would bend, naming where it sits', async () => {
    store = await createRedisStore({ connection, prefix: prefix() })
    queue = await createRedisQueue({ connection, prefix: prefix() })
    const stream = await createRedisStream({ connection, prefix: prefix() })
    await expect(store.kvSet('k', { when: new Date() })).rejects.toThrow(/`when` is a Date/)
    await expect(store.kvClaim('k', { n: Number.NaN })).rejects.toThrow(/`n` is NaN/)
    await expect(store.createRun(run(randomUUID(), new Map()), [])).rejects.toThrow(/`input` is a Map/)
    await expect(queue.enqueue('q', { name: 'n', data: [1, undefined] })).rejects.toThrow(/`\[1\]` is undefined/)
    await expect(stream.publish('t', { f: () => 1 })).rejects.toThrow(/`f` is a function/)
    await stream.close()
  })

  it('fails an attempt whose return value cannot be stored, with the reason', async () => {
    queue = await createRedisQueue({ connection, prefix: prefix() })
    queue.process('q', async () => ({ at: new Date() }), { concurrency: 1 })
    const id = await queue.enqueue('q', { name: 'dated', data: null })
    const job = await waitFor(async () => {
      const found = await queue!.getJob('q', id)
      return found?.state === 'failed' ? found : null
    }, 'the job to fail')
    expect(job.failedReason).toMatch(/return value .* `at` is a Date/)
  })
})
