/** Queue conformance for backends that persist: what a restart must keep. */
import { describe, expect, it } from 'vitest'
import { useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

export function describeQueueDurability(backend: Backend) {
  describe.runIf(Boolean(backend.reopen))(`${backend.name} queue: durability`, () => {
    const adapters = useAdapters(backend)

    it('keeps an enqueued job across a restart and runs it after', async () => {
      const before = await adapters.create()
      const id = await before.queue.enqueue('q', { name: 'kept', data: { n: 1 }, opts: { attempts: 2 } })
      const { queue } = await adapters.reopen(before)
      expect(await queue.getJob('q', id)).toMatchObject({ name: 'kept', data: { n: 1 }, state: 'waiting', opts: { attempts: 2 } })
      queue.process('q', async job => job.data, { concurrency: 1 })
      await waitFor(async () => (await queue.getJob('q', id))?.state === 'completed', 'the kept job to run')
    })

    it('keeps finished jobs, delays, pauses and dedupe across a restart', async () => {
      const before = await adapters.create()
      before.queue.process('q', async job => ({ echoed: job.data }), { concurrency: 1 })
      const done = await before.queue.enqueue('q', { name: 'done', data: 7, opts: { jobId: 'done-1' } })
      await waitFor(async () => (await before.queue.getJob('q', done))?.state === 'completed', 'completion')
      // Long enough to still be pending after a restart on a busy machine (a 100 ms delay once ran out first).
      const later = await before.queue.enqueue('q', { name: 'later', data: null, opts: { delay: 2_000 } })
      await before.queue.pause('paused-q')
      const { queue } = await adapters.reopen(before)
      expect(await queue.getJob('q', done)).toMatchObject({ state: 'completed', returnValue: { echoed: 7 }, attemptsMade: 1 })
      expect(await queue.enqueue('q', { name: 'done', data: 8, opts: { jobId: 'done-1' } })).toBe(done)
      expect(await queue.isPaused('paused-q')).toBe(true)
      expect((await queue.getJob('q', later))!.state).toBe('delayed')
      queue.process('q', async () => 'ran', { concurrency: 1 })
      await waitFor(async () => (await queue.getJob('q', later))?.state === 'completed', 'the delayed job to run after the restart')
    })

    it('keeps a retried job waiting and a removed job gone across a restart', async () => {
      const before = await adapters.create()
      const worker = before.queue.process('q', async () => {
        throw new Error('nope')
      }, { concurrency: 1 })
      const retried = await before.queue.enqueue('q', { name: 'bad', data: null })
      await waitFor(async () => (await before.queue.getJob('q', retried))?.state === 'failed', 'the failure')
      await worker.close()
      const removed = await before.queue.enqueue('q', { name: 'gone', data: null })
      expect(await before.queue.retryJob('q', retried)).toBe(true)
      expect(await before.queue.removeJob('q', removed)).toBe(true)
      const { queue } = await adapters.reopen(before)
      expect(await queue.getJob('q', retried)).toMatchObject({ state: 'waiting', attemptsMade: 0 })
      expect(await queue.getJob('q', removed)).toBeNull()
      queue.process('q', async () => 'ran', { concurrency: 1 })
      await waitFor(async () => (await queue.getJob('q', retried))?.state === 'completed', 'the retried job to run after the restart')
      expect(await queue.counts('q')).toEqual({ waiting: 0, delayed: 0, active: 0, completed: 1, failed: 0 })
    })
  })
}
