import { describe, expect, it } from 'vitest'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from './monitor-app'

describe('monitor: overview', () => {
  const start = useMonitorApp()

  it('counts runs by flow and status, awaiting ones, and starts and ends in the last hour', async () => {
    const app = await start()
    for (const sku of ['a', 'b'])
      await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku })).runId)
    app.failShip.on = true
    await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku: 'c' })).runId)
    const { runId } = await app.nvent.flow.start('approval', {})
    await waitFor(async () => (await app.nvent.flow.getRun(runId))?.steps.approve?.status === 'awaiting', 'the await')

    const overview = await app.nvent.monitor.overview()
    expect(overview.flows).toEqual({ order: { completed: 2, failed: 1 }, approval: { running: 1, awaiting: 1 } })
    expect(overview.totals).toEqual({ completed: 2, failed: 1, running: 1, awaiting: 1 })
    expect(overview.minutes).toHaveLength(60)
    expect(overview.minutes[59]!.minute).toBe(Math.floor(Date.now() / 60_000) * 60_000)
    const sum = (field: 'started' | 'completed' | 'failed') => overview.minutes.reduce((n, minute) => n + minute[field], 0)
    expect([sum('started'), sum('completed'), sum('failed')]).toEqual([4, 2, 1])
  })

  it('shows each queue with its counts, paused state and the backlog', async () => {
    const app = await start({ workers: false })
    await app.nvent.queue.enqueue('mail', { name: 'mail', data: {} })
    await app.nvent.queue.enqueue('mail', { name: 'mail', data: {}, opts: { delay: 60_000 } })
    await app.nvent.queue.pause('order')
    const overview = await app.nvent.monitor.overview()
    expect(overview.queues.map(queue => queue.name).sort()).toEqual(['approval', 'mail', 'order', 'parent', 'pause'])
    expect(overview.queues.find(queue => queue.name === 'mail')).toMatchObject({ paused: false, counts: { waiting: 1, delayed: 1 } })
    expect(overview.queues.find(queue => queue.name === 'order')!.paused).toBe(true)
    expect(overview.backlog).toBe(2)
  })
})
