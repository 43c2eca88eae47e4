import { describe, expect, it } from 'vitest'
import { createTriggersStore } from '../../devtools-client/src/stores/triggers'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useMonitorApp } from '../monitor/monitor-app'
import { directTransport } from './direct-transport'

describe('devtools client: triggers store', () => {
  const start = useMonitorApp()

  it('lists triggers with their schedule and next fire, disables and enables one in place', async () => {
    const app = await start()
    const store = createTriggersStore(directTransport(app.nvent.monitor))
    await store.list.refresh()
    expect(store.list.data.value).toEqual([expect.objectContaining({ name: 'nightly', type: 'time', enabled: true, source: 'config', subscribers: [{ flow: 'order', mode: 'auto' }], nextFireAt: expect.any(Number) })])
    expect(store.list.data.value![0]!.config).toMatchObject({ cron: '0 3 * * *' })

    const disabled = await store.setEnabled('nightly', false)
    expect(disabled.enabled).toBe(false)
    expect(store.list.data.value![0]).toMatchObject({ enabled: false })
    expect(store.list.data.value![0]!.nextFireAt).toBeUndefined()
    expect((await app.nvent.triggers.get('nightly'))!.enabled).toBe(false)
    await store.setEnabled('nightly', true)
    expect(store.list.data.value![0]).toMatchObject({ enabled: true, nextFireAt: expect.any(Number) })
  })

  it('fires with a payload, shows the firing in the history at once, and pages older firings', async () => {
    const app = await start()
    const store = createTriggersStore(directTransport(app.nvent.monitor), 2)
    await store.select('nightly')
    expect(store.history.value).toEqual([])
    expect(store.hasOlder()).toBe(false)

    const runIds: string[] = []
    for (const sku of ['a', 'b', 'c']) {
      const firing = await store.fire('nightly', { sku })
      expect(firing).toMatchObject({ name: 'nightly', source: 'manual', runIds: [expect.any(String)] })
      runIds.push(firing.runIds[0]!)
      expect(store.history.value[0]!.data.runIds).toEqual(firing.runIds)
    }
    expect(store.history.value.map(entry => entry.data.data)).toEqual([{ sku: 'c' }, { sku: 'b' }, { sku: 'a' }])
    await waitForRunEnd(app.nvent, runIds[2]!)

    // A fresh selection reads one page of 2, then the rest.
    await store.select(undefined)
    await store.select('nightly')
    expect(store.history.value.map(entry => entry.data.runIds[0])).toEqual([runIds[2], runIds[1]])
    expect(store.hasOlder()).toBe(true)
    await store.loadOlder()
    expect(store.history.value.map(entry => entry.data.runIds[0])).toEqual([...runIds].reverse())
    expect(store.hasOlder()).toBe(false)
  })

  it('follows live messages: a change elsewhere re-reads the list, a firing elsewhere tops up the history', async () => {
    const app = await start()
    const transport = directTransport(app.nvent.monitor)
    const store = createTriggersStore(transport)
    await Promise.all([store.list.refresh(), store.select('nightly')])
    const stop = transport.live({ onMessage: store.apply, onReset: () => void store.reset() })
    try {
      await app.nvent.triggers.disable('nightly')
      await waitFor(() => store.list.data.value?.[0]?.enabled === false, 'the disabled trigger')
      await app.nvent.triggers.enable('nightly')
      await waitFor(() => store.list.data.value?.[0]?.enabled === true, 'the enabled trigger')

      const firing = await app.nvent.triggers.fire('nightly', { from: 'app' })
      await waitFor(() => store.history.value.length === 1, 'the firing in the history')
      expect(store.history.value[0]!.data).toMatchObject({ runIds: firing.runIds, data: { from: 'app' } })
    }
    finally {
      stop()
    }
  })

  it('reports an unknown trigger\'s history as an error, and refuses actions on a read-only transport', async () => {
    const app = await start()
    const store = createTriggersStore(directTransport(app.nvent.monitor, { readOnly: true }))
    await store.select('nobody')
    expect(store.historyError.value).toContain('unknown trigger')
    await expect(store.fire('nightly', {})).rejects.toThrow('read-only')
  })
})
