import { describe, expect, it } from 'vitest'
import type { MonitorMessage } from '../../src/runtime/types/monitor'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from './monitor-app'

describe('monitor: live', () => {
  const start = useMonitorApp()

  it('delivers run events, queue counts and trigger changes to every subscriber until it unsubscribes', async () => {
    const app = await start()
    const first: MonitorMessage[] = []
    const second: MonitorMessage[] = []
    const stopFirst = await app.nvent.monitor.subscribe(message => first.push(message))
    const stopSecond = await app.nvent.monitor.subscribe(message => second.push(message))
    const { runId } = await app.nvent.flow.start('order', { sku: 'l' })
    await waitForRunEnd(app.nvent, runId)
    await waitFor(() => first.some(m => m.type === 'run.event' && m.event.type === 'flow.completed'), 'flow.completed live')
    expect(first.filter(m => m.type === 'run.event' && m.event.runId === runId).map(m => m.type === 'run.event' && m.event.type)).toContain('step.started')
    await waitFor(() => first.some(m => m.type === 'queue.counts' && m.queue === 'order' && m.counts.completed === 2), 'the order queue counts')

    await app.nvent.triggers.disable('nightly')
    await waitFor(() => second.some(m => m.type === 'trigger.changed' && m.name === 'nightly'), 'the trigger change')
    await stopFirst()
    const seen = first.length
    await waitForRunEnd(app.nvent, (await app.nvent.flow.start('order', { sku: 'm' })).runId)
    await waitFor(() => second.filter(m => m.type === 'run.event' && m.event.type === 'flow.completed').length === 2, 'the second run live')
    expect(first).toHaveLength(seen)
    await stopSecond()
  })
})
