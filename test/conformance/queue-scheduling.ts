/** Queue conformance: when jobs start (concurrency, priority, delay, retries, rate limit, pause). */
import { describe, expect, it } from 'vitest'
import { CLOCK_SLACK, gate, sleep, useAdapters, waitFor } from './adapter-helpers'
import type { Backend } from './backend'

export function describeQueueScheduling(backend: Backend) {
  describe(`${backend.name} queue: scheduling`, () => {
    const adapters = useAdapters(backend)

    it('runs at most `concurrency` jobs at once', async () => {
      const { queue } = await adapters.create()
      let running = 0
      let most = 0
      queue.process('q', async () => {
        most = Math.max(most, ++running)
        await sleep(15)
        running--
      }, { concurrency: 2 })
      await Promise.all(Array.from({ length: 6 }, (_, i) => queue.enqueue('q', { name: 'n', data: i })))
      await waitFor(async () => (await queue.counts('q')).completed === 6, 'six completions')
      expect(most).toBe(2)
    })

    it('starts higher-priority jobs first, unprioritized last, FIFO within equal', async () => {
      const { queue } = await adapters.create()
      const priorities = [undefined, 3, 1, 2, undefined, 1]
      for (const [i, priority] of priorities.entries())
        await queue.enqueue('q', { name: `job${i}`, data: i, opts: { priority } })
      const order: number[] = []
      queue.process('q', async job => void order.push(job.data as number), { concurrency: 1 })
      await waitFor(() => order.length === 6, 'all six to run')
      expect(order).toEqual([2, 5, 3, 1, 0, 4])
    })

    it('holds a delayed job until its delay has passed', async () => {
      const { queue } = await adapters.create()
      let ranAt = 0
      queue.process('q', async () => void (ranAt = Date.now()), { concurrency: 1 })
      const enqueuedAt = Date.now()
      const id = await queue.enqueue('q', { name: 'later', data: null, opts: { delay: 60 } })
      expect((await queue.getJob('q', id))!.state).toBe('delayed')
      expect((await queue.counts('q')).delayed).toBe(1)
      await waitFor(() => ranAt > 0, 'the delayed job to run')
      expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(60 - CLOCK_SLACK)
    })

    it('retries a failing job with exponential backoff and records attemptsMade', async () => {
      const { queue } = await adapters.create()
      const startedAt: number[] = []
      queue.process('q', async () => {
        startedAt.push(Date.now())
        if (startedAt.length < 3)
          throw new Error(`failure ${startedAt.length}`)
        return 'third time'
      }, { concurrency: 1 })
      // Backoff long enough that a busy machine still sees the job wait after its first failure.
      const id = await queue.enqueue('q', { name: 'flaky', data: null, opts: { attempts: 3, backoff: { type: 'exponential', delay: 100 } } })
      const waiting = await waitFor(async () => {
        const job = await queue.getJob('q', id)
        return job?.state === 'delayed' ? job : null
      }, 'the first retry to wait')
      expect(waiting).toMatchObject({ attemptsMade: 1, failedReason: 'failure 1' })
      await waitFor(async () => (await queue.getJob('q', id))?.state === 'completed', 'completion on the third attempt')
      expect(await queue.getJob('q', id)).toMatchObject({ attemptsMade: 3, returnValue: 'third time' })
      expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(100 - CLOCK_SLACK)
      expect(startedAt[2] - startedAt[1]).toBeGreaterThanOrEqual(200 - CLOCK_SLACK)
    })

    it('fails a job for good once its attempts are spent, after fixed backoff', async () => {
      const { queue } = await adapters.create()
      const startedAt: number[] = []
      queue.process('q', async () => {
        startedAt.push(Date.now())
        throw new Error('always')
      }, { concurrency: 1 })
      const id = await queue.enqueue('q', { name: 'doomed', data: null, opts: { attempts: 2, backoff: { type: 'fixed', delay: 25 } } })
      await waitFor(async () => (await queue.getJob('q', id))?.state === 'failed', 'the final failure')
      expect(await queue.getJob('q', id)).toMatchObject({ attemptsMade: 2, failedReason: 'always' })
      expect(startedAt).toHaveLength(2)
      expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(25 - CLOCK_SLACK)
    })

    it('limits starts to max per duration', async () => {
      const { queue } = await adapters.create()
      const startedAt: number[] = []
      queue.process('q', async () => void startedAt.push(Date.now()), { concurrency: 5, limiter: { max: 2, duration: 60 } })
      await Promise.all(Array.from({ length: 5 }, (_, i) => queue.enqueue('q', { name: 'n', data: i })))
      await waitFor(() => startedAt.length === 5, 'five starts')
      for (let i = 2; i < startedAt.length; i++)
        expect(startedAt[i] - startedAt[i - 2]).toBeGreaterThanOrEqual(60 - CLOCK_SLACK)
    })

    it('does not start jobs while paused, and lets running ones finish', async () => {
      const { queue } = await adapters.create()
      const held = gate()
      const ran: string[] = []
      queue.process('q', async (job) => {
        ran.push(job.name)
        if (job.name === 'first')
          await held.opened
      }, { concurrency: 2 })
      const first = await queue.enqueue('q', { name: 'first', data: null })
      await waitFor(() => ran.length === 1, 'the first job to start')
      await queue.pause('q')
      expect(await queue.isPaused('q')).toBe(true)
      await queue.enqueue('q', { name: 'second', data: null })
      held.open()
      await waitFor(async () => (await queue.getJob('q', first))?.state === 'completed', 'the running job to finish')
      await sleep(40)
      expect(ran).toEqual(['first'])
      expect((await queue.counts('q')).waiting).toBe(1)
      await queue.resume('q')
      expect(await queue.isPaused('q')).toBe(false)
      await waitFor(() => ran.length === 2, 'the second job after resume')
    })
  })
}
