import { describe, expect, it } from 'vitest'
import { createQueuesStore } from '../../devtools-client/src/stores/queues'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from '../monitor/monitor-app'
import { directTransport } from './direct-transport'

describe('devtools client: queues store', () => {
  const start = useMonitorApp()

  it('shows counts, pauses and resumes a queue, and pages its jobs by state', async () => {
    const app = await start({ workers: false })
    for (let i = 0; i < 3; i++)
      await app.nvent.queue.enqueue('mail', { name: 'mail', data: { i } })
    await app.nvent.queue.enqueue('mail', { name: 'mail', data: { later: true }, opts: { delay: 60_000 } })
    const store = createQueuesStore(directTransport(app.nvent.monitor), 2)
    await store.refresh()
    expect(store.list.data.value!.find(queue => queue.name === 'mail')).toEqual({ name: 'mail', paused: false, counts: { waiting: 3, delayed: 1, active: 0, completed: 0, failed: 0 } })

    await store.setPaused('mail', true)
    expect(store.list.data.value!.find(queue => queue.name === 'mail')!.paused).toBe(true)
    expect(await app.nvent.queue.isPaused('mail')).toBe(true)
    await store.setPaused('mail', false)
    expect(await app.nvent.queue.isPaused('mail')).toBe(false)

    await store.select('mail', 'waiting')
    expect(store.jobs.data.value!.total).toBe(3)
    expect(store.jobs.data.value!.items).toHaveLength(2)
    expect([store.hasPrevious(), store.hasNext()]).toEqual([false, true])
    await store.next()
    expect(store.jobs.data.value!.items).toHaveLength(1)
    expect([store.hasPrevious(), store.hasNext()]).toEqual([true, false])

    // Removing the only job of the last page shows the page before.
    await store.remove(store.jobs.data.value!.items[0]!)
    expect(store.offset.value).toBe(0)
    expect(store.jobs.data.value).toMatchObject({ total: 2, items: [expect.anything(), expect.anything()] })

    await store.select('mail')
    expect(store.jobs.data.value!.total).toBe(3)
    await store.select('mail', 'delayed')
    expect(store.jobs.data.value!.items.map(job => job.data)).toEqual([{ later: true }])
  })

  it('retries a failed plain job, refuses a step\'s job with the engine\'s reason, and says why nothing happened', async () => {
    const app = await start()
    const store = createQueuesStore(directTransport(app.nvent.monitor))
    app.failMail.on = true
    await app.nvent.queue.enqueue('mail', { name: 'mail', data: { to: 'a' } })
    await waitFor(async () => (await app.nvent.queue.counts('mail')).failed === 1, 'the failed mail')
    await store.select('mail', 'failed')
    const [failed] = store.jobs.data.value!.items
    expect(failed).toMatchObject({ state: 'failed', failedReason: 'smtp down', attemptsMade: 1 })

    app.failMail.on = false
    await store.retry(failed!)
    await waitFor(async () => (await app.nvent.queue.counts('mail')).completed === 1, 'the retried mail')
    await expect(store.retry(failed!)).rejects.toThrow(`Job ${failed!.id} was not retried`)

    app.failShip.on = true
    await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku: 'x' })).runId)
    await store.select('order', 'failed')
    await expect(store.retry(store.jobs.data.value!.items[0]!)).rejects.toThrow('rerun the run from its failed step')
  })

  it('applies counts from live messages at once and re-reads the selected queue\'s jobs', async () => {
    const app = await start()
    const transport = directTransport(app.nvent.monitor)
    const store = createQueuesStore(transport)
    await store.refresh()
    await store.select('order', 'completed')
    expect(store.jobs.data.value!.total).toBe(0)
    const stop = transport.live({ onMessage: store.apply, onReset: () => void store.refresh() })
    try {
      await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku: 'l' })).runId)
      await waitFor(() => store.list.data.value!.find(queue => queue.name === 'order')!.counts.completed === 2, 'the live counts')
      await waitFor(() => store.jobs.data.value!.items.length === 2, 'the re-read jobs')
      expect(store.jobs.data.value!.items.map(job => job.name).sort()).toEqual(['order/receive', 'order/ship'])
    }
    finally {
      stop()
    }
  })
})
