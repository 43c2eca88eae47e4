/** Queue conformance: retrying and removing single jobs by hand, as the monitoring UI does. */
import { describe, expect, it } from 'vitest'
import type { Job, QueueAdapter } from '../../src/runtime/contracts/queue'
import { gate, useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

/** Waits until job `id` of queue `q` reaches `state` and returns it. */
function reach(queue: QueueAdapter, id: string, state: Job['state']): Promise<Job> {
  return waitFor(async () => {
    const job = await queue.getJob('q', id)
    return job?.state === state ? job : null
  }, `job ${id} to be ${state}`)
}

const NOTHING = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 }

export function describeQueueManage(backend: Backend) {
  describe(`${backend.name} queue: retry and remove`, () => {
    const adapters = useAdapters(backend)

    it('runs a retried failed job again, with a fresh set of its attempts', async () => {
      const { queue } = await adapters.create()
      const seen: number[] = []
      queue.process('q', async (job) => {
        seen.push(job.attemptsMade)
        if (seen.length <= 3)
          throw new Error(`failure ${seen.length}`)
        return 'done'
      }, { concurrency: 1 })
      const id = await queue.enqueue('q', { name: 'flaky', data: null, opts: { attempts: 2 } })
      expect(await reach(queue, id, 'failed')).toMatchObject({ attemptsMade: 2, failedReason: 'failure 2' })

      await queue.pause('q')
      expect(await queue.retryJob('q', id)).toBe(true)
      const waiting = await queue.getJob('q', id)
      expect(waiting).toMatchObject({ state: 'waiting', attemptsMade: 0 })
      expect([waiting!.failedReason, waiting!.processedAt, waiting!.finishedAt]).toEqual([undefined, undefined, undefined])
      await queue.resume('q')

      // Its first new attempt fails and is retried: the job has both of its attempts again.
      expect(await reach(queue, id, 'completed')).toMatchObject({ attemptsMade: 2, returnValue: 'done' })
      expect(seen).toEqual([0, 1, 0, 1])
    })

    it('retries only a failed job: a waiting, delayed, completed or unknown one stays as it was', async () => {
      const { queue } = await adapters.create()
      queue.process('q', async () => 'fine', { concurrency: 1 })
      const completed = await queue.enqueue('q', { name: 'done', data: null })
      await reach(queue, completed, 'completed')
      const waiting = await queue.enqueue('idle', { name: 'wait', data: null })
      const delayed = await queue.enqueue('idle', { name: 'later', data: null, opts: { delay: 60_000 } })
      const before = await Promise.all([queue.getJob('q', completed), queue.getJob('idle', waiting), queue.getJob('idle', delayed)])

      expect(await queue.retryJob('q', completed)).toBe(false)
      expect(await queue.retryJob('idle', waiting)).toBe(false)
      expect(await queue.retryJob('idle', delayed)).toBe(false)
      expect(await queue.retryJob('q', 'missing')).toBe(false)
      expect(await Promise.all([queue.getJob('q', completed), queue.getJob('idle', waiting), queue.getJob('idle', delayed)])).toEqual(before)
      expect(await queue.counts('q')).toEqual({ ...NOTHING, completed: 1 })
    })

    it('removes waiting, delayed, completed and failed jobs, and frees their ids', async () => {
      const { queue } = await adapters.create()
      queue.process('q', async (job) => {
        if (job.name === 'bad')
          throw new Error('nope')
      }, { concurrency: 1 })
      const completed = await queue.enqueue('q', { name: 'ok', data: null })
      const failed = await queue.enqueue('q', { name: 'bad', data: null })
      await Promise.all([reach(queue, completed, 'completed'), reach(queue, failed, 'failed')])
      const waiting = await queue.enqueue('idle', { name: 'wait', data: 1, opts: { jobId: 'kept-id' } })
      const delayed = await queue.enqueue('idle', { name: 'later', data: null, opts: { delay: 60_000 } })

      for (const [name, id] of [['q', completed], ['q', failed], ['idle', waiting], ['idle', delayed]] as const) {
        expect(await queue.removeJob(name, id)).toBe(true)
        expect(await queue.getJob(name, id)).toBeNull()
        expect(await queue.removeJob(name, id)).toBe(false)
      }
      expect(await queue.removeJob('q', 'missing')).toBe(false)
      expect(await queue.counts('q')).toEqual(NOTHING)
      expect(await queue.counts('idle')).toEqual(NOTHING)
      expect(await queue.getJobs('idle')).toEqual([])

      expect(await queue.enqueue('idle', { name: 'wait', data: 2, opts: { jobId: 'kept-id' } })).toBe('kept-id')
      expect(await queue.getJob('idle', 'kept-id')).toMatchObject({ state: 'waiting', data: 2 })
    })

    it('does not remove a running job, which still completes', async () => {
      const { queue } = await adapters.create()
      const held = gate()
      queue.process('q', async () => {
        await held.opened
        return 'finished'
      }, { concurrency: 1 })
      const id = await queue.enqueue('q', { name: 'slow', data: null })
      await reach(queue, id, 'active')
      expect(await queue.removeJob('q', id)).toBe(false)
      expect((await queue.getJob('q', id))!.state).toBe('active')
      held.open()
      expect(await reach(queue, id, 'completed')).toMatchObject({ returnValue: 'finished' })
    })
  })
}
