/** Triggers on each backend: manual, event, webhook and schedule firings, the API and the history. */
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../runtime/types/run'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'
import { sleep } from '../helpers/wait'

const echo = (input: unknown, ctx: { trigger?: unknown }) => ({ input, trigger: ctx.trigger })

export function describeEngineTriggers(backend: Backend) {
  describe(`${backend.name} engine: triggers`, () => {
    const apps = useApps(backend)

    it('a manual firing starts every subscriber, with the data as input.trigger.data and ctx.trigger', async () => {
      const app = await apps.start({ flows: {
        notify: [{ step: 'send', entry: true, triggers: { define: { name: 'notify.now', type: 'manual', scope: 'global' } }, run: echo }],
        audit: [{ step: 'log', entry: true, triggers: { subscribe: ['notify.now'], mode: 'manual' }, run: echo }],
      } })
      const firing = await app.nvent.triggers.fire('notify.now', { to: 'ops' })
      expect(firing).toMatchObject({ name: 'notify.now', type: 'manual', source: 'manual', data: { to: 'ops' } })
      expect(firing.runIds).toHaveLength(2)
      const runs = await Promise.all(firing.runIds.map(id => waitForRunEnd(app.nvent, id)))
      expect(runs.map(run => run.flowName).sort()).toEqual(['audit', 'notify'])
      const output = runs[0]!.steps[runs[0]!.flowName === 'notify' ? 'send' : 'log']!.output as { input: any, trigger: unknown }
      expect(output.input.trigger).toMatchObject({ name: 'notify.now', data: { to: 'ops' } })
      expect(output.trigger).toEqual({ to: 'ops' })
      const events = await app.nvent.flow.events(firing.runIds[0]!)
      expect(events.find(e => e.type === 'trigger.fired')?.data).toMatchObject({ name: 'notify.now', data: { to: 'ops' } })
    })

    it('an event starts the flows its event trigger subscribes, but not manual-mode ones', async () => {
      const app = await apps.start({ flows: {
        welcome: [{ step: 'greet', entry: true, triggers: { define: { name: 'user.created', type: 'event', scope: 'global' } }, run: echo }],
        review: [{ step: 'look', entry: true, triggers: { subscribe: ['user.created'], mode: 'manual' }, run: echo }],
      } })
      const delivery = await app.nvent.events.emit('user.created', { id: 7 })
      expect(delivery.runIds).toHaveLength(1)
      const run = await waitForRunEnd(app.nvent, delivery.runIds[0]!)
      expect(run.flowName).toBe('welcome')
      expect((run.steps.greet?.output as any).trigger).toEqual({ id: 7 })
      expect((await app.nvent.events.emit('nobody.listens', {})).runIds).toEqual([])
    })

    it('an emit inside a run starts an event-triggered flow once', async () => {
      const app = await apps.start({ flows: {
        signup: [{ step: 'create', entry: true, emits: ['account.opened'], run: (_, ctx) => ctx.flow.emit('account.opened', { user: 'ada' }) }],
        onboarding: [{ step: 'mail', entry: true, triggers: { define: { name: 'account.opened', type: 'event', scope: 'global' } }, run: echo }],
      } })
      const { runId } = await app.nvent.flow.start('signup', {})
      await waitForRunEnd(app.nvent, runId)
      const page = await waitFor(async () => {
        const runs = await app.nvent.flow.listRuns('onboarding')
        return runs.items.length === 1 ? runs : null
      }, 'the onboarding run')
      const run = await waitForRunEnd(app.nvent, page.items[0]!.id)
      expect((run.steps.mail?.output as any).trigger).toEqual({ user: 'ada' })
      expect((await app.nvent.triggers.history('account.opened')).items).toHaveLength(1)
    })

    it('starting a run with an id derived from its cause twice starts it once', async () => {
      let runs = 0
      const app = await apps.start({ flows: { once: [{ step: 's', entry: true, run: () => { runs++ } }] } })
      const runId = '5f0c6d43-2b8a-8c1e-9d2f-0a1b2c3d4e5f'
      const [first, second] = await Promise.all([app.nvent.flow.start('once', {}, { runId }), app.nvent.flow.start('once', {}, { runId })])
      expect(first.runId).toBe(runId)
      expect(second.runId).toBe(runId)
      await waitForRunEnd(app.nvent, runId)
      expect((await app.nvent.flow.listRuns('once')).total).toBe(1)
      expect(runs).toBe(1)
    })

    it('a webhook trigger checks its signature and body, and starts nothing on a bad request', async () => {
      const app = await apps.start({ flows: { hook: [{ step: 'take', entry: true, run: echo }] } })
      await app.nvent.triggers.register({ name: 'github', type: 'webhook', flows: ['hook'], config: { secret: 's3cret' } })
      const body = Buffer.from(JSON.stringify({ ref: 'main' }))
      const sign = (raw: Buffer, secret = 's3cret') => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`
      const refused = [
        await app.nvent.webhooks.trigger('github', body, undefined),
        await app.nvent.webhooks.trigger('github', body, sign(body, 'wrong')),
        await app.nvent.webhooks.trigger('github', Buffer.from('{no'), sign(Buffer.from('{no'))),
        await app.nvent.webhooks.trigger('gitlab', body, sign(body)),
      ]
      expect(refused.map(answer => answer.status)).toEqual([401, 401, 400, 404])
      expect(refused[2]!.body.error).toMatch(/not valid JSON/)
      await app.nvent.triggers.disable('github')
      expect((await app.nvent.webhooks.trigger('github', body, sign(body))).status).toBe(409)
      expect((await app.nvent.flow.listRuns('hook')).total).toBe(0)
      await app.nvent.triggers.enable('github')
      const answer = await app.nvent.webhooks.trigger('github', body, sign(body))
      expect(answer.status).toBe(202)
      const run = await waitForRunEnd(app.nvent, (answer.body.runIds as string[])[0]!)
      expect((run.steps.take?.output as any).trigger).toEqual({ ref: 'main' })
      expect((await app.nvent.triggers.list()).find(t => t.name === 'github')?.config).toEqual({ hasSecret: true })
    })

    it('registers, changes and deletes triggers at runtime, and refuses bad ones with a reason', async () => {
      const app = await apps.start({ flows: { job: [{ step: 'do', entry: true, triggers: { define: { name: 'job.manual', type: 'manual' } }, run: echo }] } })
      await expect(app.nvent.triggers.register({ name: 'bad', type: 'time', config: { cron: 'every day' } })).rejects.toThrow(/config.cron "every day" is not valid/)
      await expect(app.nvent.triggers.register({ name: 'lost', type: 'manual', flows: ['nope'] })).rejects.toThrow(/unknown flows nope/)
      await expect(app.nvent.triggers.register({ name: 'job.manual', type: 'manual' })).rejects.toThrow(/exists already/)
      await expect(app.nvent.triggers.delete('job.manual')).rejects.toThrow(/defined in job\/do\.ts/)
      await app.nvent.triggers.register({ name: 'nightly', type: 'time', flows: ['job'], config: { cron: '0 3 * * *', timezone: 'Europe/Berlin' } })
      const listed = await app.nvent.triggers.list()
      expect(listed.map(t => t.name)).toEqual(['job.manual', 'nightly'])
      const nightly = listed[1]!
      expect(nightly.nextFireAt).toBeGreaterThan(Date.now())
      expect(new Date(nightly.nextFireAt!).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' })).toBe('03:00')
      expect(nightly.subscribers).toEqual([{ flow: 'job', mode: 'auto' }])
      await app.nvent.triggers.update('job.manual', { enabled: false })
      await expect(app.nvent.triggers.fire('job.manual')).rejects.toThrow(/disabled/)
      await app.nvent.triggers.delete('nightly')
      expect(await app.nvent.triggers.get('nightly')).toBeNull()
    })

    it('pages a trigger\'s history newest first', async () => {
      const app = await apps.start({ flows: { tick: [{ step: 't', entry: true, triggers: { define: { name: 'tick.manual', type: 'manual' } }, run: () => {} }] } })
      for (let i = 0; i < 5; i++)
        await app.nvent.triggers.fire('tick.manual', { i })
      const first = await app.nvent.triggers.history('tick.manual', { limit: 3 })
      const rest = await app.nvent.triggers.history('tick.manual', { limit: 3, before: first.cursor })
      expect([...first.items, ...rest.items].map(entry => (entry.data.data as { i: number }).i)).toEqual([4, 3, 2, 1, 0])
      expect(rest.cursor).toBeUndefined()
      expect(first.items[0]!.data.runIds).toHaveLength(1)
    })

    it('a tick claimed by an instance that died before firing still starts its run', async () => {
      const app = await apps.start({ flows: { beat: [{ step: 'b', entry: true, run: () => {} }] } })
      await app.nvent.triggers.register({ name: 'pulse', type: 'time', flows: ['beat'], config: { cron: '* * * * * *', timezone: 'UTC' } })
      const tick = Math.ceil((Date.now() + 1500) / 1000) * 1000
      // What a claiming instance leaves behind if it stops right after the claim.
      expect(await app.adapters.store.kvClaim(`trigger:tick:pulse:${tick}`, 'an instance that died', { ttl: 60_000 })).toBe(true)
      const ticked = await waitFor(async () => {
        const { items } = await app.nvent.flow.listRuns('beat', { limit: 100 })
        return items.find((run: RunRecord) => (run.trigger!.data as { scheduledAt: number }).scheduledAt === tick)
      }, 'the run of the claimed tick', 8000)
      expect(ticked.trigger).toMatchObject({ name: 'pulse', source: 'schedule' })
      await app.nvent.triggers.disable('pulse')
      const history = (await app.nvent.triggers.history('pulse', { limit: 100 })).items.map(entry => (entry.data.data as { scheduledAt: number }).scheduledAt)
      expect(history).not.toContain(tick)
    })

    it('a schedule fires once per tick, and stops when disabled', async () => {
      const app = await apps.start({ flows: { beat: [{ step: 'b', entry: true, run: (_, ctx) => ctx.trigger }] } })
      await app.nvent.triggers.register({ name: 'every-second', type: 'time', flows: ['beat'], config: { cron: '* * * * * *' } })
      await waitFor(async () => (await app.nvent.flow.listRuns('beat')).total >= 3, 'three ticks', 8000)
      await app.nvent.triggers.disable('every-second')
      await sleep(1200)
      const { items } = await app.nvent.flow.listRuns('beat', { limit: 100 })
      const ticks = items.map((run: RunRecord) => (run.trigger!.data as { scheduledAt: number }).scheduledAt).sort()
      expect(new Set(ticks).size).toBe(ticks.length)
      expect(ticks.every(at => at % 1000 === 0)).toBe(true)
      await sleep(1200)
      expect((await app.nvent.flow.listRuns('beat')).total).toBe(items.length)
    })
  })
}
