/** The stream contract's conformance: live publish/subscribe per topic. */
import { describe, expect, it, vi } from 'vitest'
import { sleep, useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

export function describeStreamConformance(backend: Backend) {
  describe(`${backend.name} stream`, () => {
    const adapters = useAdapters(backend)

    it('delivers a topic\'s messages, in order, to its subscribers only', async () => {
      const { stream } = await adapters.create()
      const runs: unknown[] = []
      const others: unknown[] = []
      await stream.subscribe('run:1', message => runs.push(message))
      await stream.subscribe('run:2', message => others.push(message))
      for (let i = 0; i < 5; i++) await stream.publish('run:1', { seq: i, data: { nested: [i] } })
      await waitFor(() => runs.length === 5, 'five messages')
      expect(runs).toEqual([0, 1, 2, 3, 4].map(i => ({ seq: i, data: { nested: [i] } })))
      expect(others).toEqual([])
    })

    it('publishAll delivers a batch in its order, after what was published before it, a large message included', async () => {
      const { stream } = await adapters.create()
      const got: unknown[] = []
      await stream.subscribe('t', message => got.push(message))
      await stream.subscribe('other', message => got.push({ wrong: message }))
      // 10 KB: more than PostgreSQL's NOTIFY takes, so that backend sends this batch another way.
      const large = { big: 'x'.repeat(10_000) }
      await stream.publish('t', 'first')
      await stream.publishAll('t', [1, { two: [2] }, 3])
      await stream.publishAll('t', [4, large, 5])
      await stream.publishAll('t', [])
      await waitFor(() => got.length === 7, 'seven messages')
      expect(got).toEqual(['first', 1, { two: [2] }, 3, 4, large, 5])
    })

    it('delivers each message to every subscriber of the topic', async () => {
      const { stream } = await adapters.create()
      const a: unknown[] = []
      const b: unknown[] = []
      await stream.subscribe('t', message => a.push(message))
      await stream.subscribe('t', message => b.push(message))
      await stream.publish('t', 'hello')
      await waitFor(() => a.length === 1 && b.length === 1, 'both subscribers')
      expect([a, b]).toEqual([['hello'], ['hello']])
    })

    it('stops delivering once unsubscribed', async () => {
      const { stream } = await adapters.create()
      const kept: unknown[] = []
      const dropped: unknown[] = []
      await stream.subscribe('t', message => kept.push(message))
      const unsubscribe = await stream.subscribe('t', message => dropped.push(message))
      await stream.publish('t', 1)
      await waitFor(() => dropped.length === 1 && kept.length === 1, 'the first message')
      await unsubscribe()
      await stream.publish('t', 2)
      await waitFor(() => kept.length === 2, 'the second message')
      await sleep(20)
      expect(dropped).toEqual([1])
    })

    it('a throwing subscriber does not keep messages from the others', async () => {
      const { stream } = await adapters.create()
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
      try {
        const got: unknown[] = []
        await stream.subscribe('t', () => {
          throw new Error('subscriber bug')
        })
        await stream.subscribe('t', message => got.push(message))
        await stream.publish('t', 1)
        await stream.publish('t', 2)
        await waitFor(() => got.length === 2, 'both messages despite the throwing subscriber')
        expect(got).toEqual([1, 2])
      }
      finally {
        quiet.mockRestore()
      }
    })
  })
}
