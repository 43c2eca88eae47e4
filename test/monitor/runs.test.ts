import { describe, expect, it } from 'vitest'
import { waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from './monitor-app'

describe('monitor: runs', () => {
  const start = useMonitorApp()

  it('lists runs across flows as summaries, filtered and paged', async () => {
    const app = await start()
    const { runId: done } = await app.nvent.flow.start('order', { sku: 'a' })
    await waitForRunEnd(app.nvent, done)
    const { runId: asking } = await app.nvent.flow.start('approval', {})
    const every = await app.nvent.monitor.runs({ limit: 1 })
    expect(every.total).toBe(2)
    expect(every.items[0]).toMatchObject({ id: asking, flowName: 'approval' })
    expect(every.items[0]).not.toHaveProperty('input')
    const completed = await app.nvent.monitor.runs({ status: 'completed' })
    expect(completed.items).toEqual([expect.objectContaining({ id: done, steps: { completed: 2 } })])
    expect((await app.nvent.monitor.runs({ flow: 'order', idPrefix: done.slice(0, 6) })).items.map(run => run.id)).toEqual([done])
    await expect(app.nvent.monitor.runs({ status: 'finished' as never })).rejects.toMatchObject({ status: 400 })
  })

  it('details a run: each step with its input, output, duration, and the error with its stack per attempt', async () => {
    const app = await start()
    app.failShip.on = true
    const { runId } = await app.nvent.flow.start('order', { sku: 'b' })
    await waitForRunEnd(app.nvent, runId)
    const detail = (await app.nvent.monitor.run(runId))!
    expect(detail.run.status).toBe('failed')
    const [receive, ship] = detail.steps
    expect(receive).toMatchObject({ name: 'receive', status: 'completed', input: { sku: 'b' } })
    expect(receive!.duration).toBeGreaterThanOrEqual(0)
    expect(ship).toMatchObject({ name: 'ship', status: 'failed', input: { received: { sku: 'b' } }, error: 'carrier down' })
    expect(ship!.errors).toEqual([expect.objectContaining({ attempt: 1, message: 'carrier down', stack: expect.stringContaining('carrier down') })])
    expect(detail.children).toEqual([])
    expect(await app.nvent.monitor.run('nope')).toBeNull()
  })

  it('links a run to its parent and child runs, and a rerun to its original', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('parent', {})
    const parent = await waitForRunEnd(app.nvent, runId)
    const childId = (parent.steps.spawn!.output as { runId: string }).runId
    const detail = (await app.nvent.monitor.run(runId))!
    expect(detail.children).toEqual([expect.objectContaining({ id: childId, flowName: 'pause', status: 'running', parentRunId: runId })])
    expect((await app.nvent.monitor.run(childId))!.parent).toMatchObject({ id: runId, flowName: 'parent', status: 'completed' })
    const { runId: again } = await app.nvent.monitor.rerun(runId)
    expect((await app.nvent.monitor.runs({ flow: 'parent', limit: 1 })).items[0]).toMatchObject({ id: again, rerunOf: runId })
  })
})
