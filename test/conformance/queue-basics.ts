/** Queue conformance: adding, finding, listing and running jobs. */
import { describe, expect, it } from 'vitest'
import type { Job } from '../../src/runtime/contracts/queue'
import { gate, useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

export function describeQueueBasics(backend: Backend) {
  describe(`${backend.name} queue: jobs`, () => {
    const adapters = useAdapters(backend)

    it('stores an enqueued job as waiting, with its data', async () => {
      const { queue } = await adapters.create()
      const id = await queue.enqueue('q', { name: 'send', data: { to: 'a@b.c', n: [1, 2] } })
      const job = await queue.getJob('q', id)
      expect(job).toMatchObject({ id, queue: 'q', name: 'send', data: { to: 'a@b.c', n: [1, 2] }, state: 'waiting', attemptsMade: 0 })
      expect(job!.createdAt).toBeGreaterThan(Date.now() - 5_000)
      expect(await queue.getJob('q', 'missing')).toBeNull()
      expect(await queue.getJob('other', id)).toBeNull()
    })

    it('runs a job and records its return value', async () => {
      const { queue } = await adapters.create()
      const seen: Job[] = []
      queue.process('q', async (job) => {
        seen.push(job)
        return { doubled: (job.data as number) * 2 }
      }, { concurrency: 1 })
      const id = await queue.enqueue('q', { name: 'double', data: 21 })
      const job = await waitFor(async () => {
        const current = await queue.getJob('q', id)
        return current?.state === 'completed' ? current : null
      }, 'completion')
      expect(seen.map(j => [j.id, j.data, j.attemptsMade])).toEqual([[id, 21, 0]])
      expect(job).toMatchObject({ returnValue: { doubled: 42 }, attemptsMade: 1 })
      expect(job.processedAt).toBeGreaterThanOrEqual(job.createdAt)
      expect(job.finishedAt).toBeGreaterThanOrEqual(job.processedAt!)
    })

    it('adds nothing for a jobId that exists and returns the existing id', async () => {
      const { queue } = await adapters.create()
      const first = await queue.enqueue('q', { name: 'a', data: 1, opts: { jobId: 'run-1:step' } })
      const again = await Promise.all([1, 2, 3].map(n => queue.enqueue('q', { name: 'a', data: n + 1, opts: { jobId: 'run-1:step' } })))
      expect(first).toBe('run-1:step')
      expect(again).toEqual(['run-1:step', 'run-1:step', 'run-1:step'])
      expect((await queue.counts('q')).waiting).toBe(1)
      expect((await queue.getJob('q', first))!.data).toBe(1)
    })

    it('lists jobs newest first by state, with limit and offset', async () => {
      const { queue } = await adapters.create()
      const ids: string[] = []
      for (let i = 0; i < 5; i++) ids.push(await queue.enqueue('q', { name: 'n', data: i }))
      const delayed = await queue.enqueue('q', { name: 'later', data: 5, opts: { delay: 60_000 } })
      const waiting = await queue.getJobs('q', { states: ['waiting'], limit: 2, offset: 1 })
      expect(waiting.map(j => j.id)).toEqual([ids[3], ids[2]])
      expect((await queue.getJobs('q', { states: ['delayed'] })).map(j => j.id)).toEqual([delayed])
      expect((await queue.getJobs('q')).map(j => j.id)).toEqual([delayed, ...[...ids].reverse()])
    })

    it('counts jobs in every state', async () => {
      const { queue } = await adapters.create()
      const held = gate()
      await queue.enqueue('q', { name: 'ok', data: null })
      await queue.enqueue('q', { name: 'bad', data: null })
      await queue.enqueue('q', { name: 'hold', data: null })
      queue.process('q', async (job) => {
        if (job.name === 'bad')
          throw new Error('nope')
        if (job.name === 'hold')
          await held.opened
      }, { concurrency: 3 })
      await waitFor(async () => (await queue.counts('q')).active === 1 && (await queue.counts('q')).failed === 1, 'one active, one failed')
      await queue.enqueue('q', { name: 'later', data: null, opts: { delay: 60_000 } })
      await queue.pause('q')
      await queue.enqueue('q', { name: 'next', data: null })
      expect(await queue.counts('q')).toEqual({ waiting: 1, delayed: 1, active: 1, completed: 1, failed: 1 })
      expect(await queue.counts('empty')).toEqual({ waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 })
      held.open()
    })

    it('a throwing processor does not stop the worker, and each failure is readable', async () => {
      const { queue } = await adapters.create()
      queue.process('q', (job) => {
        if (job.name === 'sync')
          throw new Error('thrown synchronously')
        if (job.name === 'object')
          return Promise.reject({ code: 42 }) // eslint-disable-line prefer-promise-reject-errors
        if (job.name === 'string')
          return Promise.reject('plain string') // eslint-disable-line prefer-promise-reject-errors
        return Promise.resolve('fine')
      }, { concurrency: 1 })
      const ids = await Promise.all(['sync', 'object', 'string', 'ok'].map(name => queue.enqueue('q', { name, data: null })))
      await waitFor(async () => (await queue.counts('q')).completed === 1 && (await queue.counts('q')).failed === 3, 'all four to finish')
      const jobs = await Promise.all(ids.map(id => queue.getJob('q', id)))
      expect(jobs.map(j => j!.failedReason)).toEqual(['thrown synchronously', expect.stringContaining('42'), 'plain string', undefined])
      expect(jobs[3]!.returnValue).toBe('fine')
    })

    it('closing a worker waits for its running job and starts no more', async () => {
      const { queue } = await adapters.create()
      const held = gate()
      let started = 0
      const worker = queue.process('q', async () => {
        started++
        await held.opened
      }, { concurrency: 1 })
      const id = await queue.enqueue('q', { name: 'slow', data: null })
      await queue.enqueue('q', { name: 'next', data: null })
      await waitFor(() => started === 1, 'the first job to start')
      let closed = false
      const closing = worker.close().then(() => closed = true)
      await new Promise(resolve => setTimeout(resolve, 20))
      expect(closed).toBe(false)
      held.open()
      await closing
      expect((await queue.getJob('q', id))!.state).toBe('completed')
      expect(started).toBe(1)
    })
  })
}
