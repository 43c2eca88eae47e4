import { describe, expect, it } from 'vitest'
import { tokenOf, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from './monitor-app'

describe('monitor: awaits and triggers', () => {
  const start = useMonitorApp()

  it('lists open awaits without their URL or token, and resolves, rejects or resumes them', async () => {
    const app = await start()
    const { monitor } = app.nvent
    const { runId } = await app.nvent.flow.start('approval', {})
    const [open] = await waitFor(async () => {
      const awaits = await monitor.awaits('approval')
      return awaits.length ? awaits : null
    }, 'the webhook await')
    expect(open).toEqual({ runId, flowName: 'approval', step: 'approve', phase: 'before', type: 'webhook', since: expect.any(Number) })
    const [{ url }] = await app.nvent.awaits.list('approval')
    expect(JSON.stringify(await monitor.awaits())).not.toContain(tokenOf(url))

    await expect(monitor.resumeAwait(runId, 'approve')).rejects.toMatchObject({ status: 409 })
    expect(await monitor.resolveAwait(runId, 'approve', { ok: true })).toBe(true)
    expect((await waitForRunEnd(app.nvent, runId)).steps.approve!.output).toEqual({ ok: true })

    const { runId: rejected } = await app.nvent.flow.start('approval', {})
    await waitFor(async () => (await monitor.awaits('approval')).length > 0, 'the second await')
    expect(await monitor.rejectAwait(rejected, 'approve', 'not today')).toBe(true)
    expect((await waitForRunEnd(app.nvent, rejected)).error).toContain('not today')
    // An empty reason box is no reason, not a bad argument.
    const { runId: unexplained } = await app.nvent.flow.start('approval', {})
    await waitFor(async () => (await monitor.awaits('approval')).some(open => open.runId === unexplained), 'the third await')
    expect(await monitor.rejectAwait(unexplained, 'approve', '')).toBe(true)
    expect((await waitForRunEnd(app.nvent, unexplained)).error).toMatch(/await rejected$/)

    const { runId: paused } = await monitor.startFlow('pause', {})
    await waitFor(async () => (await monitor.awaits('pause')).length > 0, 'the time await')
    expect((await monitor.awaits('pause'))[0]).toMatchObject({ type: 'time', resumeAt: expect.any(Number) })
    expect(await monitor.resumeAwait(paused, 'wait')).toBe(true)
    expect((await waitForRunEnd(app.nvent, paused)).steps.wait!.output).toBe('woke')
    expect(await monitor.resumeAwait(paused, 'wait')).toBe(false)
  })

  it('lists triggers with their next fire, fires one and pages its history', async () => {
    const app = await start()
    const { monitor } = app.nvent
    const [nightly] = await monitor.triggers()
    expect(nightly).toMatchObject({ name: 'nightly', type: 'time', enabled: true, nextFireAt: expect.any(Number) })
    const firing = await monitor.fireTrigger('nightly', { by: 'hand' })
    expect(firing.runIds).toHaveLength(1)
    const history = await monitor.triggerHistory('nightly', { limit: 5 })
    expect(history.items.map(entry => entry.data.runIds)).toEqual([firing.runIds])
    await expect(monitor.triggerHistory('nobody')).rejects.toMatchObject({ status: 404 })
    await expect(monitor.fireTrigger(42 as never)).rejects.toMatchObject({ status: 400 })
  })
})
