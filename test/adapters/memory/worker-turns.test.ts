// An in-process queue needs no I/O: a burst of jobs must still let the event loop turn, or timers
// (retention, stall sweeps, cron) and requests would wait for the whole burst.
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryQueue } from '../../../src/runtime/adapters/memory'
import type { QueueAdapter } from '../../../src/runtime/contracts/queue'

let queue: QueueAdapter | undefined
afterEach(async () => {
  await queue?.close()
  queue = undefined
})

describe('memory worker', () => {
  it('lets a timer run in the middle of a burst of jobs that never wait for I/O', async () => {
    queue = await createMemoryQueue()
    const jobs = 2_000
    let done = 0
    let doneWhenTimerRan: number | undefined
    const all = new Promise<void>((resolve) => {
      queue!.process('burst', async () => {
        if (++done === jobs)
          resolve()
      }, { concurrency: 4 })
    })
    for (let i = 0; i < jobs; i++) await queue.enqueue('burst', { name: 'n', data: i })
    setTimeout(() => doneWhenTimerRan = done, 0)
    await all
    expect(doneWhenTimerRan).toBeDefined()
    expect(doneWhenTimerRan!).toBeLessThan(jobs)
  })
})
