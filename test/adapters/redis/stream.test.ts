/** Redis pub/sub: a subscription is live when subscribe resolves, and one Redis subscription serves many handlers. */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedisStream } from '../../../src/runtime/adapters/redis'
import type { StreamAdapter } from '../../../src/runtime/contracts/stream'
import { sleep, waitFor } from '../../conformance/adapter-helpers'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)

describe.skipIf(Boolean(skip))('redis stream', () => {
  const open: StreamAdapter[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map(stream => stream.close()))
  })
  async function stream(prefix: string) {
    const created = await createRedisStream({ connection: { url: REDIS_URL }, prefix })
    open.push(created)
    return created
  }

  it('delivers a message published right after subscribe resolves, to every handler of the topic', async () => {
    const prefix = `nvent-test-${randomUUID()}`
    const [publisher, subscriber] = [await stream(prefix), await stream(prefix)]
    const a: unknown[] = []
    const b: unknown[] = []
    const [stopA] = await Promise.all([subscriber.subscribe('events', m => a.push(m)), subscriber.subscribe('events', m => b.push(m))])
    await publisher.publish('events', { n: 1 })
    await waitFor(() => a.length === 1 && b.length === 1, 'both handlers to receive the message')
    expect(a).toEqual([{ n: 1 }])
    await stopA!()
    await publisher.publish('events', { n: 2 })
    await waitFor(() => b.length === 2, 'the remaining handler to receive the second message')
    expect(a).toHaveLength(1)
  })

  it('keeps prefixes apart', async () => {
    const [one, two] = [await stream(`nvent-test-${randomUUID()}`), await stream(`nvent-test-${randomUUID()}`)]
    const got: unknown[] = []
    await two.subscribe('events', m => got.push(m))
    await one.publish('events', 'elsewhere')
    await sleep(50)
    expect(got).toEqual([])
  })
})
