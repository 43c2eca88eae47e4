/** Queue conformance: finished jobs are kept by count and age, so a busy queue does not grow without bound. */
import { describe, expect, it } from 'vitest'
import { sleep, useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

export function describeQueueRetention(backend: Backend) {
  describe(`${backend.name} queue: retention`, () => {
    const adapters = useAdapters(backend)

    it('keeps at most N completed jobs, the newest', async () => {
      const { queue } = await adapters.create()
      // Each job takes a few ms: which of two jobs finished in the same millisecond is older is backend-defined.
      queue.process('q', async () => {
        await sleep(3)
        return 'done'
      }, { concurrency: 1 })
      const ids: string[] = []
      for (let i = 0; i < 8; i++) ids.push(await queue.enqueue('q', { name: 'n', data: i, opts: { removeOnComplete: { count: 3 } } }))
      await waitFor(async () => (await queue.getJob('q', ids[7]))?.state === 'completed', 'the last job to complete')
      expect((await queue.counts('q')).completed).toBe(3)
      expect((await queue.getJobs('q', { states: ['completed'] })).map(j => j.id)).toEqual([ids[7], ids[6], ids[5]])
      expect(await queue.getJob('q', ids[0])).toBeNull()
    })

    it('keeps at most N failed jobs', async () => {
      const { queue } = await adapters.create()
      queue.process('q', async () => {
        throw new Error('no')
      }, { concurrency: 1 })
      for (let i = 0; i < 5; i++) await queue.enqueue('q', { name: 'n', data: i, opts: { removeOnFail: { count: 2 } } })
      await waitFor(async () => {
        const counts = await queue.counts('q')
        return counts.waiting + counts.active === 0
      }, 'every job to fail')
      expect((await queue.counts('q')).failed).toBe(2)
    })

    it('drops completed jobs older than the kept age', async () => {
      const { queue } = await adapters.create()
      queue.process('q', async () => 'done', { concurrency: 1 })
      const keep = { removeOnComplete: { age: 30 } }
      const old = await queue.enqueue('q', { name: 'old', data: null, opts: keep })
      await waitFor(async () => (await queue.getJob('q', old))?.state === 'completed', 'the old job to complete')
      await sleep(50)
      const fresh = await queue.enqueue('q', { name: 'fresh', data: null, opts: keep })
      await waitFor(async () => (await queue.getJob('q', fresh))?.state === 'completed', 'the fresh job to complete')
      await waitFor(async () => (await queue.getJob('q', old)) === null, 'the old job to be dropped')
      expect((await queue.counts('q')).completed).toBe(1)
    })

    it('accepts a jobId again once its job was removed', async () => {
      const { queue } = await adapters.create()
      let runs = 0
      queue.process('q', async () => void runs++, { concurrency: 1 })
      const opts = { jobId: 'once', removeOnComplete: { count: 0 } }
      await queue.enqueue('q', { name: 'n', data: 1, opts })
      await waitFor(async () => runs === 1 && (await queue.getJob('q', 'once')) === null, 'the job to run and be removed')
      expect(await queue.enqueue('q', { name: 'n', data: 2, opts })).toBe('once')
      await waitFor(() => runs === 2, 'the second job with the same id to run')
    })
  })
}
