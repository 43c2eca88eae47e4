import { describe, expect, it } from 'vitest'
import { waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from './monitor-app'

describe('monitor: a run\'s events, logs and state', () => {
  const start = useMonitorApp()

  it('pages events from a cursor, filters logs by level, and reads the state now', async () => {
    const app = await start()
    const { runId } = await app.nvent.flow.start('order', { sku: 'd' })
    await waitForRunEnd(app.nvent, runId)
    const { monitor } = app.nvent
    const first = await monitor.events(runId, { limit: 2 })
    expect(first.map(event => event.type)).toEqual(['flow.start', 'step.started'])
    const rest = await monitor.events(runId, { after: first[1]!.id })
    expect(rest[0]!.id > first[1]!.id).toBe(true)
    expect(rest.at(-1)!.type).toBe('flow.completed')

    expect((await monitor.logs(runId)).map(event => (event.data as { message: string }).message)).toEqual(['looking', 'low stock'])
    expect(await monitor.logs(runId, { level: 'warn' })).toEqual([expect.objectContaining({ data: { level: 'warn', message: 'low stock', meta: { sku: 'd' } } })])
    await expect(monitor.logs(runId, { level: 'loud' as never })).rejects.toMatchObject({ status: 400 })
    await expect(monitor.events(runId, { limit: 0 })).rejects.toMatchObject({ status: 400 })
  })

  it('reads the state keys the run set, as they are now', async () => {
    const keeping = await start({ store: { state: { cleanup: 'never' } } })
    const { runId } = await keeping.nvent.flow.start('order', { sku: 'e' })
    await waitForRunEnd(keeping.nvent, runId)
    expect(await keeping.nvent.monitor.state(runId)).toEqual({ sku: 'e' })
    const clearing = await start()
    const { runId: cleared } = await clearing.nvent.flow.start('order', { sku: 'f' })
    await waitForRunEnd(clearing.nvent, cleared)
    expect(await clearing.nvent.monitor.state(cleared)).toEqual({})
  })
})
