import { describe, expect, it } from 'vitest'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from './monitor-app'

describe('monitor: actions on runs and jobs', () => {
  const start = useMonitorApp()

  it('starts, cancels and reruns a run with the same or an edited input', async () => {
    const app = await start()
    const { monitor } = app.nvent
    const { runId } = await monitor.startFlow('pause', { n: 1 })
    expect(await monitor.cancelRun(runId)).toBe(true)
    expect((await app.nvent.flow.getRun(runId))!.status).toBe('canceled')
    const same = await waitFor(async () => (await app.nvent.flow.getRun((await monitor.rerun(runId)).runId)), 'the rerun')
    expect(same).toMatchObject({ input: { n: 1 }, rerunOf: runId })
    const { runId: edited } = await monitor.rerun(runId, { n: 2 })
    expect((await app.nvent.flow.getRun(edited))!.input).toEqual({ n: 2 })
    await expect(monitor.startFlow('nope')).rejects.toMatchObject({ status: 404 })
    await expect(monitor.rerunFromFailedStep(edited)).rejects.toMatchObject({ status: 409 })
  })

  it('reruns from the failed step: what completed is kept, the failed step runs again', async () => {
    const app = await start()
    app.failShip.on = true
    const { runId } = await app.nvent.flow.start('order', { sku: 'x' })
    await waitForRunEnd(app.nvent, runId)
    app.failShip.on = false
    const again = await waitForRunEnd(app.nvent, (await app.nvent.monitor.rerunFromFailedStep(runId)).runId)
    expect(again.steps.receive).toMatchObject({ status: 'completed', reused: true })
    expect(again.steps.ship).toMatchObject({ status: 'completed', output: { shipped: 'x' } })
    expect(app.received.count).toBe(1)
  })

  it('retries a failed plain job and removes jobs, but never retries a step\'s job by hand', async () => {
    const app = await start()
    const { monitor } = app.nvent
    app.failMail.on = true
    const failed = await app.nvent.queue.enqueue('mail', { name: 'mail', data: {} })
    await waitFor(async () => (await app.nvent.queue.getJob('mail', failed))?.state === 'failed', 'the job to fail')
    app.failMail.on = false
    expect(await monitor.retryJob('mail', failed)).toBe(true)
    await waitFor(async () => (await app.nvent.queue.getJob('mail', failed))?.returnValue === 'sent', 'the retried job')
    expect(await monitor.retryJob('mail', failed)).toBe(false)
    expect(await monitor.retryJob('mail', 'nope')).toBe(false)

    const later = await app.nvent.queue.enqueue('mail', { name: 'mail', data: {}, opts: { delay: 60_000 } })
    expect(await monitor.removeJob('mail', later)).toBe(true)
    expect(await app.nvent.queue.getJob('mail', later)).toBeNull()

    app.failShip.on = true
    const { runId } = await app.nvent.flow.start('order', { sku: 'z' })
    await waitForRunEnd(app.nvent, runId)
    const [stepJob] = (await monitor.jobs('order', { state: 'failed' })).items
    await expect(monitor.retryJob('order', stepJob!.id)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('rerun') })
  })
})
