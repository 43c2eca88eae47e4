/**
 * Triggers on each backend: manual, event, webhook and schedule firings, the API and the history, and the
 * refusals of bad input to webhooks, the trigger API and page cursors.
 */
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../src/runtime/types/run'
import { signWebhook } from '../../src/runtime/webhooks/signature'
import { json, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'
import { sleep } from '../helpers/wait'

const echo = (input: unknown, ctx: { trigger?: unknown }) => ({ input, trigger: ctx.trigger })
const SECRET = 's3cret'
/** A variable no test environment sets: the secret of a trigger this server lacks. */
const UNSET_ENV = 'NVENT_CONFORMANCE_SECRET_NOT_SET'
const now = () => Math.floor(Date.now() / 1000)
/** `{ a: { a: ... } }`, objects nested `levels` deep. */
const nested = (levels: number) => {
  let value: unknown = 'bottom'
  for (let i = 0; i < levels; i++) value = { a: value }
  return value
}

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
      // The firing is recorded after the runs it started, which may be over by then.
      await waitFor(async () => (await app.nvent.triggers.history('account.opened')).items.length > 0, 'the firing in the history')
      await sleep(100)
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

    it('a signed webhook starts its runs once: a replay within the tolerance names them, an old signature gets 401', async () => {
      const app = await apps.start({ flows: { hook: [{ step: 'take', entry: true, run: echo }] } }, { webhooks: { tolerance: 60 } })
      await app.nvent.triggers.register({ name: 'github', type: 'webhook', flows: ['hook'], config: { secret: SECRET } })
      const body = json({ ref: 'main' })
      const header = signWebhook(SECRET, body)
      const first = await app.nvent.webhooks.trigger('github', body, header)
      expect(first).toEqual({ status: 202, body: { trigger: 'github', runIds: [expect.any(String)] } })
      const replays = await Promise.all([1, 2].map(() => app.nvent.webhooks.trigger('github', body, header)))
      expect(replays).toEqual([1, 2].map(() => ({ status: 200, body: { trigger: 'github', runIds: first.body.runIds, duplicate: true } })))
      const run = await waitForRunEnd(app.nvent, (first.body.runIds as string[])[0]!)
      expect((run.steps.take?.output as any).trigger).toEqual({ ref: 'main' })

      // The same body signed at another second is another delivery; one signed outside the 60 s is refused.
      const later = await app.nvent.webhooks.trigger('github', body, signWebhook(SECRET, body, now() - 30))
      expect(later.status).toBe(202)
      expect(later.body.runIds).not.toEqual(first.body.runIds)
      expect(await app.nvent.webhooks.trigger('github', body, signWebhook(SECRET, body, now() - 100))).toEqual({
        status: 401,
        body: { error: expect.stringMatching(/^the signature's timestamp is 10\d s old, outside the 60 s accepted/) },
      })
      expect((await app.nvent.webhooks.trigger('github', body, signWebhook(SECRET, body, now() + 100))).body.error).toMatch(/s ahead of this server/)
      expect((await app.nvent.flow.listRuns('hook')).total).toBe(2)
      expect((await app.nvent.triggers.history('github')).items).toHaveLength(2)
      expect((await app.nvent.triggers.list()).find(t => t.name === 'github')?.config).toEqual({ hasSecret: true })
    })

    it('a webhook caller that cannot sign gets one 404 for every signed, unknown or other trigger; only a signed request learns more', async () => {
      const app = await apps.start({ flows: {
        hook: [{ step: 'take', entry: true, run: echo }],
        job: [{ step: 'do', entry: true, triggers: { define: { name: 'job.manual', type: 'manual' } }, run: echo }],
      } })
      await app.nvent.triggers.register({ name: 'github', type: 'webhook', flows: ['hook'], config: { secret: SECRET } })
      await app.nvent.triggers.register({ name: 'paused', type: 'webhook', flows: ['hook'], config: { secret: SECRET }, enabled: false })
      await app.nvent.triggers.register({ name: 'unset', type: 'webhook', flows: ['hook'], config: { secretEnv: UNSET_ENV } })
      const body = json({ ref: 'main' })
      const cases: Record<string, [string, string | undefined]> = {
        'unknown': ['gitlab', signWebhook(SECRET, body)],
        'not a webhook': ['job.manual', signWebhook(SECRET, body)],
        'missing signature': ['github', undefined],
        'body-only signature': ['github', `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`],
        'wrong secret': ['github', signWebhook('not-the-secret', body)],
        'signature of another body': ['github', signWebhook(SECRET, json({ ref: 'other' }))],
        'expired, wrong secret': ['github', signWebhook('not-the-secret', body, now() - 3600)],
        'disabled, wrong secret': ['paused', signWebhook('not-the-secret', body)],
        'disabled, unsigned': ['paused', undefined],
        'secret unset here, unsigned': ['unset', undefined],
        'secret unset here, expired': ['unset', signWebhook(SECRET, body, now() - 3600)],
      }
      for (const [what, [name, header]] of Object.entries(cases))
        expect(await app.nvent.webhooks.trigger(name, body, header), what).toEqual({ status: 404, body: { error: `no webhook trigger "${name}" accepts this request` } })

      expect(await app.nvent.webhooks.trigger('paused', body, signWebhook(SECRET, body))).toEqual({ status: 409, body: { error: 'trigger "paused" is disabled' } })
      const malformed = Buffer.from('{no')
      expect((await app.nvent.webhooks.trigger('github', malformed, signWebhook(SECRET, malformed))).body.error).toMatch(/^body is not valid JSON/)
      // This server cannot tell a right signature from a wrong one: a current one hears why.
      expect(await app.nvent.webhooks.trigger('unset', body, signWebhook(SECRET, body))).toEqual({
        status: 503,
        body: { error: 'webhook trigger "unset" cannot check signatures on this server: its secret is not set here' },
      })
      expect((await app.nvent.flow.listRuns('hook')).total).toBe(0)

      // A trigger without a secret is public: anyone learns that it is disabled, or what is wrong with a body.
      await app.nvent.triggers.register({ name: 'public', type: 'webhook', flows: ['hook'], enabled: false })
      expect((await app.nvent.webhooks.trigger('public', body, undefined)).status).toBe(409)
      await app.nvent.triggers.enable('public')
      expect((await app.nvent.webhooks.trigger('public', malformed, undefined)).status).toBe(400)
      expect((await app.nvent.webhooks.trigger('public', body, undefined)).status).toBe(202)
      expect((await app.nvent.flow.listRuns('hook')).total).toBe(1)
    })

    it('refuses what nvent would not keep with a 400 naming where, from a webhook body or from code alike', async () => {
      const app = await apps.start({ flows: { hook: [{ step: 'take', entry: true, run: echo }] } })
      await app.nvent.triggers.register({ name: 'public', type: 'webhook', flows: ['hook'] })
      const post = (raw: string, name = 'public') => app.nvent.webhooks.trigger(name, Buffer.from(raw), undefined)
      const brackets = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`
      expect(await post(brackets(5000))).toEqual({ status: 400, body: { error: expect.stringMatching(/^`\[0\]\[0\][[\]0]*…` of the body is nested more than 64 levels deep/) } })
      expect((await post(brackets(65))).status).toBe(400)
      expect((await post(JSON.stringify({ note: 'a\u0000b' }))).body).toEqual({ error: '`note` of the body contains a NUL character or an unpaired surrogate' })
      expect((await post('{"list": ["ok", "\\ud800"]}')).body).toEqual({ error: '`list[1]` of the body contains a NUL character or an unpaired surrogate' })
      expect((await post('{"a\\u0000": 1}')).body.error).toMatch(/^the key `a\u0000` of the body contains a NUL character/)
      for (const name of ['\u0000', '../../../tmp/evil', 'x'.repeat(100_000)]) {
        const answer = await post('{}', name)
        expect(answer.status, name.slice(0, 20)).toBe(400)
        expect(answer.body.error).toMatch(/^a trigger name is 1 to 128 characters of letters, digits and \. _ : -, starting with a letter or digit \(found ".*"(… \(100000 characters\))?\)$/s)
      }
      expect((await app.nvent.flow.listRuns('hook')).total).toBe(0)
      expect((await post(brackets(64))).status).toBe(202)

      const tooDeep = nested(65)
      const refusals: Array<[string, () => Promise<unknown>, RegExp]> = [
        ['flow.start', () => app.nvent.flow.start('hook', tooDeep), /^nvent: `a\.a\.[a.]*…` of the input of flow "hook" is nested more than 64 levels deep/],
        ['events.emit', () => app.nvent.events.emit('order.placed', { text: 'a\u0000' }), /^nvent: `text` of the data of event "order.placed" contains a NUL character/],
        ['awaits.resolve', () => app.nvent.awaits.resolve('any-run', 'take', tooDeep), /^nvent: .* of the payload resolving step "take" is nested more than 64/],
        ['triggers.fire', () => app.nvent.triggers.fire('public', '\uDC00'), /^nvent: the data of trigger "public" contains a NUL character or an unpaired surrogate/],
      ]
      for (const [call, refused, message] of refusals)
        await expect(refused(), call).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) })
      // Only what was given counts: a trigger's data may use every level inside the input nvent builds around it.
      await waitForRunEnd(app.nvent, (await app.nvent.triggers.fire('public', nested(64))).runIds[0]!)
      await waitForRunEnd(app.nvent, (await app.nvent.flow.start('hook', nested(64))).runId)
      expect((await app.nvent.flow.listRuns('hook')).total).toBe(3)
    })

    it('refuses a forged runs cursor, history cursor or event id with a 400', async () => {
      const app = await apps.start({ flows: { tick: [{ step: 't', entry: true, triggers: { define: { name: 'tick.manual', type: 'manual' } }, run: () => {} }] } })
      const { runIds: [runId] } = await app.nvent.triggers.fire('tick.manual')
      await waitForRunEnd(app.nvent, runId!)
      const forged = Buffer.from(JSON.stringify({ score: 'abc', member: 'x', createdAt: 1e300, position: '9'.repeat(30), order: 'x' })).toString('base64url')
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['runs cursor', () => app.nvent.flow.listRuns('tick', { cursor: 'garbage' })],
        ['forged runs cursor', () => app.nvent.flow.listRuns('tick', { cursor: forged })],
        ['history before', () => app.nvent.triggers.history('tick.manual', { before: 'not-a-cursor' })],
        ['huge history before', () => app.nvent.triggers.history('tick.manual', { before: '99999999999999999999999-1' })],
        ['events after', () => app.nvent.flow.events(runId!, { after: 'abc' })],
        ['fractional events after', () => app.nvent.flow.events(runId!, { after: '1.5' })],
        ['huge events after', () => app.nvent.flow.events(runId!, { after: '9'.repeat(30) })],
      ]
      for (const [what, call] of calls)
        await expect(call(), what).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^nvent: invalid (runs cursor|log cursor|event id) /) })
      const events = await app.nvent.flow.events(runId!)
      expect(await app.nvent.flow.events(runId!, { after: events.at(-1)!.id })).toEqual([])
    })

    it('registers, changes and deletes triggers at runtime, and refuses bad ones with a reason', async () => {
      const app = await apps.start({ flows: { job: [{ step: 'do', entry: true, triggers: { define: { name: 'job.manual', type: 'manual' } }, run: echo }] } })
      await expect(app.nvent.triggers.register({ name: 'bad', type: 'time', config: { cron: 'every day' } })).rejects.toThrow(/config.cron "every day" is not valid/)
      await expect(app.nvent.triggers.register({ name: 'lost', type: 'manual', flows: ['nope'] })).rejects.toThrow(/unknown flows nope/)
      await expect(app.nvent.triggers.register({ name: 'job.manual', type: 'manual' })).rejects.toThrow(/exists already/)
      await expect(app.nvent.triggers.delete('job.manual')).rejects.toThrow(/defined in job\/do\.ts/)
      for (const name of ['../../../tmp/evil', 'x'.repeat(100_000), '', 'has space', '-leading', '\u0000'])
        await expect(app.nvent.triggers.register({ name, type: 'manual', flows: ['job'] }), name.slice(0, 20)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('a trigger name is 1 to 128 characters') })
      await expect(app.nvent.triggers.fire('../x')).rejects.toMatchObject({ status: 400 })
      await expect(app.nvent.triggers.history('\u0000')).rejects.toMatchObject({ status: 400 })
      expect(await app.nvent.triggers.get('\u0000')).toBeNull()
      await app.nvent.triggers.register({ name: 'hook', type: 'webhook', flows: ['job'], config: { secret: SECRET } })
      await expect(app.nvent.triggers.update('hook', { config: { secret: '' } })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/config\.secret must be a non-empty string/) })
      await expect(app.nvent.triggers.register({ name: 'open', type: 'webhook', config: { secret: '' } })).rejects.toMatchObject({ status: 400 })
      // The refused change left the secret in place: an unsigned request still starts nothing.
      expect((await app.nvent.webhooks.trigger('hook', json({}), undefined)).status).toBe(404)
      await app.nvent.triggers.delete('hook')
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
