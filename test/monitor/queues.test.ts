import { describe, expect, it } from 'vitest'
import { useMonitorApp } from './monitor-app'

describe('monitor: queues and jobs', () => {
  const start = useMonitorApp()

  it('pages a queue\'s jobs by state with the total of that state', async () => {
    const app = await start({ workers: false })
    for (let i = 0; i < 3; i++)
      await app.nvent.queue.enqueue('mail', { name: 'mail', data: { i } })
    await app.nvent.queue.enqueue('mail', { name: 'mail', data: { later: true }, opts: { delay: 60_000 } })
    const { monitor } = app.nvent
    const waiting = await monitor.jobs('mail', { state: 'waiting', limit: 2 })
    expect(waiting.total).toBe(3)
    expect(waiting.items).toHaveLength(2)
    expect((await monitor.jobs('mail', { state: 'waiting', limit: 2, offset: 2 })).items).toHaveLength(1)
    expect((await monitor.jobs('mail')).total).toBe(4)
    expect((await monitor.jobs('mail', { state: 'delayed' })).items[0]!.data).toEqual({ later: true })
  })

  it('refuses an unknown queue (404) and a bad state or offset (400)', async () => {
    const app = await start({ workers: false })
    const { monitor } = app.nvent
    await expect(monitor.jobs('nope')).rejects.toMatchObject({ status: 404, message: expect.stringContaining('mail') })
    await expect(monitor.jobs('mail', { state: 'stuck' as never })).rejects.toMatchObject({ status: 400 })
    await expect(monitor.jobs('mail', { offset: -1 })).rejects.toMatchObject({ status: 400 })
    await expect(monitor.pauseQueue('nope')).rejects.toMatchObject({ status: 404 })
  })

  it('pauses and resumes a queue', async () => {
    const app = await start({ workers: false })
    await app.nvent.monitor.pauseQueue('mail')
    expect((await app.nvent.monitor.queues()).find(queue => queue.name === 'mail')!.paused).toBe(true)
    await app.nvent.monitor.resumeQueue('mail')
    expect(await app.nvent.queue.isPaused('mail')).toBe(false)
  })
})
