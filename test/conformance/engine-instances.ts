/**
 * Several instances on one backend, and restarts: a schedule ticks once however many instances run it,
 * an await registered on one instance resolves through another, and awaits outlive a restart.
 */
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../src/runtime/types/run'
import type { TestApp } from '../helpers/engine-app'
import { json, tokenOf, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'
import { sleep } from '../helpers/wait'

export function describeEngineInstances(backend: Backend) {
  describe.skipIf(!backend.attach)(`${backend.name} engine: many instances`, () => {
    const apps = useApps(backend)

    it('a one-second schedule on three instances fires exactly once per tick', async () => {
      const app: TestApp = { flows: { beat: [{ step: 'b', entry: true, run: () => {} }] } }
      const first = await apps.start(app)
      const others = [await apps.start(app, { adapters: await backend.attach!(first.adapters) }), await apps.start(app, { adapters: await backend.attach!(first.adapters) })]
      await others[1]!.nvent.triggers.register({ name: 'pulse', type: 'time', flows: ['beat'], config: { cron: '* * * * * *' } })
      await waitFor(async () => (await first.nvent.flow.listRuns('beat')).total >= 5, 'five ticks', 15_000)
      await first.nvent.triggers.disable('pulse')
      await sleep(1500)
      const { items } = await first.nvent.flow.listRuns('beat', { limit: 500 })
      const ticks = items.map((run: RunRecord) => (run.trigger!.data as { scheduledAt: number }).scheduledAt).sort((a, b) => a - b)
      // N ticks from the first to the last, each fired by exactly one instance.
      expect(new Set(ticks).size).toBe(ticks.length)
      expect((ticks.at(-1)! - ticks[0]!) / 1000 + 1).toBe(ticks.length)
      expect((await first.nvent.triggers.history('pulse', { limit: 500 })).items).toHaveLength(ticks.length)
    })

    it('an await registered on a worker instance resolves through an API-only one', async () => {
      let url: string | undefined
      const app: TestApp = { flows: { approve: [{ step: 'gate', entry: true, awaitBefore: { type: 'webhook' }, hooks: { onAwaitRegister: (u) => { url = u } }, run: (_, ctx) => ctx.trigger }] } }
      const worker = await apps.start(app)
      const api = await apps.start(app, { adapters: await backend.attach!(worker.adapters), workers: false })
      const { runId } = await api.nvent.flow.start('approve', {})
      await waitFor(() => url, 'the await to be registered')
      expect((await api.nvent.webhooks.await(tokenOf(url), 'POST', json({ ok: true }), {})).status).toBe(202)
      expect((await waitForRunEnd(worker.nvent, runId)).steps.gate?.output).toEqual({ ok: true })
    })
  })

  describe.skipIf(!backend.reopen)(`${backend.name} engine: restarts`, () => {
    const apps = useApps(backend)

    it('a time await and a webhook await both outlive a restart', async () => {
      let url: string | undefined
      const app: TestApp = { flows: {
        later: [{ step: 'wait', entry: true, awaitBefore: { type: 'time', delay: 1500 }, run: () => 'resumed' }],
        approve: [{ step: 'gate', entry: true, awaitBefore: { type: 'webhook' }, hooks: { onAwaitRegister: (u) => { url = u } }, run: (_, ctx) => ctx.trigger }],
      } }
      const before = await apps.start(app)
      const delayed = await before.nvent.flow.start('later', {})
      const approval = await before.nvent.flow.start('approve', {})
      await waitFor(() => url, 'the webhook await to be registered')
      await before.close()
      const after = await apps.start(app, { adapters: await backend.reopen!(before.adapters) })
      const resumed = await waitForRunEnd(after.nvent, delayed.runId)
      expect(resumed.steps.wait?.output).toBe('resumed')
      expect(resumed.steps.wait!.startedAt! - resumed.createdAt).toBeGreaterThanOrEqual(1500)
      expect((await after.nvent.webhooks.await(tokenOf(url), 'POST', json({ ok: 1 }), {})).status).toBe(202)
      expect((await waitForRunEnd(after.nvent, approval.runId)).steps.gate?.output).toEqual({ ok: 1 })
    })

    it('keeps runtime changes of a config-defined trigger over a new build, and the config shows through the rest', async () => {
      const build = (cron: string): TestApp => ({ flows: { report: [{ step: 'r', entry: true, triggers: { define: { name: 'report.schedule', type: 'time', description: cron }, config: { cron } }, run: () => {} }] } })
      const before = await apps.start(build('0 9 * * *'))
      await before.nvent.triggers.update('report.schedule', { enabled: false, config: { timezone: 'Asia/Tokyo' } })
      await before.close()
      const after = await apps.start(build('0 10 * * *'), { adapters: await backend.reopen!(before.adapters) })
      expect(await after.nvent.triggers.get('report.schedule')).toMatchObject({
        enabled: false,
        description: '0 10 * * *',
        config: { cron: '0 10 * * *', timezone: 'Asia/Tokyo' },
      })
    })
  })
}
