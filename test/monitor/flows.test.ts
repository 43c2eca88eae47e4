import { describe, expect, it } from 'vitest'
import { useMonitorApp } from './monitor-app'

describe('monitor: flows', () => {
  const start = useMonitorApp()

  it('draws each flow as steps, event edges and the triggers that start it', async () => {
    const app = await start()
    const flows = await app.nvent.monitor.flows()
    const order = flows.find(flow => flow.name === 'order')!
    expect(order.entry).toBe('receive')
    expect(order.steps.map(step => [step.name, step.queue, step.attempts])).toEqual([['receive', 'order', 1], ['ship', 'order', 1]])
    expect(order.edges).toEqual([{ event: 'received', from: 'receive', to: 'ship' }])
    expect(order.triggers).toEqual([{ name: 'nightly', type: 'time', mode: 'auto', enabled: true, cron: '0 3 * * *' }])
    const approval = flows.find(flow => flow.name === 'approval')!
    expect(approval.steps.find(step => step.name === 'approve')!.awaitBefore).toEqual({ type: 'webhook' })
    expect(approval.triggers).toEqual([])
  })

  it('names source files in dev only', async () => {
    const prod = await start()
    expect((await prod.nvent.monitor.flows())[0]!.steps.every(step => step.file === undefined)).toBe(true)
    const dev = await start({ dev: true })
    expect((await dev.nvent.monitor.flows())[0]!.steps[0]!.file).toBe('order/receive.ts')
  })

  it('shows a trigger disabled once it is', async () => {
    const app = await start()
    await app.nvent.monitor.disableTrigger('nightly')
    expect((await app.nvent.monitor.flows())[0]!.triggers[0]).toMatchObject({ name: 'nightly', enabled: false })
  })
})
