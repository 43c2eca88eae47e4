/** Awaits on each backend: time, webhook and event, before and after a step, and the awaits API. */
import { randomBytes } from 'node:crypto'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { AwaitInfo } from '../../src/runtime/types/await'
import type { RunContext } from '../../src/runtime/types/context'
import type { RunningApp, TestApp } from '../helpers/engine-app'
import { countEvents, json, startApp, tokenOf, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'
import { sleep } from '../helpers/wait'

export function describeEngineAwaits(backend: Backend) {
  describe(`${backend.name} engine: awaits`, () => {
    const apps = useApps(backend)

    /**
     * An API-only instance on the store of `first`: attached where the backend has many instances, else on
     * the very same adapters (closing them twice is harmless).
     */
    async function sameStore(first: RunningApp, app: TestApp, secret: string | undefined): Promise<RunningApp> {
      const adapters = backend.attach ? await backend.attach(first.adapters) : first.adapters
      return apps.start(app, { adapters, workers: false, secrets: secret === undefined ? undefined : { await: secret } })
    }

    it('a time await before a step holds it for its delay, then runs it', async () => {
      let ranAt = 0
      const app = await apps.start({ flows: { later: [
        { step: 'wait', entry: true, awaitBefore: { type: 'time', delay: 700 }, run: () => { ranAt = Date.now() } },
      ] } })
      const { runId } = await app.nvent.flow.start('later', {})
      const started = (await app.nvent.flow.getRun(runId))!
      expect(started.steps.wait?.status).toBe('awaiting')
      expect(started.steps.wait?.await?.resumeAt).toBe(started.createdAt + 700)
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(ranAt - started.createdAt).toBeGreaterThanOrEqual(700)
      const types = (await app.nvent.flow.events(runId)).map(e => e.type)
      expect(types.indexOf('await.registered')).toBeLessThan(types.indexOf('await.resolved'))
      expect(types.indexOf('await.resolved')).toBeLessThan(types.indexOf('step.started'))
    })

    it('a time await after a step keeps its emits until the delay has passed', async () => {
      let nextAt = 0
      let firstDoneAt = 0
      const app = await apps.start({ flows: { notify: [
        { step: 'send', entry: true, emits: ['sent'], awaitAfter: { type: 'time', delay: 600 }, run: async (_, ctx) => {
          await ctx.flow.emit('sent', { id: 1 })
          firstDoneAt = Date.now()
        } },
        { step: 'confirm', subscribes: ['sent'], run: (input) => { nextAt = Date.now(); return input } },
      ] } })
      const { runId } = await app.nvent.flow.start('notify', {})
      await waitFor(async () => (await app.nvent.flow.getRun(runId))?.steps.send?.status === 'awaiting', 'send to await')
      expect((await app.nvent.flow.getRun(runId))?.emitted).toEqual({})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(nextAt - firstDoneAt).toBeGreaterThanOrEqual(590)
      expect(run.steps.confirm?.output).toEqual({ sent: { id: 1 } })
    })

    it('a webhook await resolves through its URL with the body as ctx.trigger, and only once', async () => {
      const registered: AwaitInfo[] = []
      const resolved: unknown[] = []
      let trigger: unknown
      const app = await apps.start({ flows: { approve: [
        { step: 'ask', entry: true, emits: ['asked'], run: async (_, ctx) => ctx.flow.emit('asked') },
        { step: 'decide', subscribes: ['asked'], awaitBefore: { type: 'webhook', method: 'POST' }, hooks: {
          onAwaitRegister: (url, info) => { registered.push({ ...info, url: url! }) },
          onAwaitResolve: payload => { resolved.push(payload) },
        }, run: (_, ctx) => { trigger = ctx.trigger } },
      ] } })
      const { runId } = await app.nvent.flow.start('approve', {})
      const info = await waitFor(() => registered[0], 'onAwaitRegister')
      expect(info).toMatchObject({ runId, step: 'decide', phase: 'before', type: 'webhook' })
      expect(info.url).toMatch(/\/api\/_nvent\/await\/[\w-]{32}$/)
      const token = tokenOf(info.url)
      expect((await app.nvent.webhooks.await(`${token}x`, 'POST', json({}), {})).status).toBe(404)
      expect((await app.nvent.webhooks.await(token, 'GET', Buffer.alloc(0), {})).status).toBe(405)
      expect((await app.nvent.webhooks.await(token, 'POST', Buffer.from('{oops'), {})).status).toBe(400)
      expect((await app.nvent.flow.getRun(runId))?.steps.decide?.status).toBe('awaiting')
      const answer = await app.nvent.webhooks.await(token, 'POST', json({ approved: true }), {})
      expect(answer).toEqual({ status: 202, body: { runId, step: 'decide' } })
      expect((await waitForRunEnd(app.nvent, runId)).status).toBe('completed')
      expect(trigger).toEqual({ approved: true })
      expect(resolved).toEqual([{ approved: true }])
      expect((await app.nvent.webhooks.await(token, 'POST', json({}), {})).status).toBe(404)
    })

    it('a webhook await that times out fails the run, or goes on with timeoutAction continue', async () => {
      const timedOut: string[] = []
      let continuedWith: unknown = 'not run'
      const app = await apps.start({ flows: {
        strict: [{ step: 'gate', entry: true, awaitBefore: { type: 'webhook', timeout: 300 }, hooks: { onAwaitTimeout: info => { timedOut.push(info.flowName) } }, run: () => {} }],
        lenient: [{ step: 'gate', entry: true, awaitBefore: { type: 'webhook', timeout: 300, timeoutAction: 'continue' }, run: (_, ctx) => { continuedWith = ctx.trigger } }],
      } })
      const strict = await app.nvent.flow.start('strict', {})
      const lenient = await app.nvent.flow.start('lenient', {})
      const failed = await waitForRunEnd(app.nvent, strict.runId)
      expect(failed.status).toBe('failed')
      expect(failed.error).toMatch(/await timed out after 300 ms/)
      expect(countEvents(await app.nvent.flow.events(strict.runId), 'await.timeout')).toBe(1)
      expect(countEvents(await app.nvent.flow.events(strict.runId), 'step.started')).toBe(0)
      const continued = await waitForRunEnd(app.nvent, lenient.runId)
      expect(continued.status).toBe('completed')
      expect(continuedWith).toBeUndefined()
      expect(continued.steps.gate?.await?.outcome).toBe('timeout')
      await waitFor(() => timedOut.length === 1, 'onAwaitTimeout')
      expect(timedOut).toEqual(['strict'])
    })

    it('an event await resolves only the run its match key belongs to', async () => {
      const paid: unknown[] = []
      const app = await apps.start({ flows: { order: [
        { step: 'pay', entry: true, awaitBefore: { type: 'event', event: 'payment.confirmed', match: 'orderId' }, run: (_, ctx) => { paid.push(ctx.trigger) } },
      ] } })
      const one = await app.nvent.flow.start('order', { orderId: 1 })
      const two = await app.nvent.flow.start('order', { orderId: 2 })
      await waitFor(async () => (await app.nvent.awaits.list('order')).length === 2, 'both awaits to be listed')
      const delivery = await app.nvent.events.emit('payment.confirmed', { orderId: 2, amount: 9 })
      expect(delivery.resolved).toEqual([{ runId: two.runId, step: 'pay', phase: 'before' }])
      expect((await waitForRunEnd(app.nvent, two.runId)).status).toBe('completed')
      expect((await app.nvent.flow.getRun(one.runId))?.status).toBe('running')
      expect(paid).toEqual([{ orderId: 2, amount: 9 }])
      expect((await app.nvent.events.emit('payment.confirmed', { orderId: 3 })).resolved).toEqual([])
      await app.nvent.events.emit('payment.confirmed', { orderId: 1 })
      expect((await waitForRunEnd(app.nvent, one.runId)).status).toBe('completed')
    })

    it('an event that comes while its run is still on the way to the await resolves it; one from before the run does not', async () => {
      let release!: () => void
      const held = new Promise<void>((resolve) => { release = resolve })
      const app = await apps.start({ flows: { order: [
        { step: 'charge', entry: true, emits: ['charged'], run: async (input, ctx) => { await held; await ctx.flow.emit('charged', input) } },
        { step: 'confirm', subscribes: ['charged'], awaitBefore: { type: 'event', event: 'paid', match: 'orderId' }, run: (_, ctx) => ctx.trigger },
      ] } })
      await app.nvent.events.emit('paid', { orderId: 'early' })
      // An event in the very millisecond a run starts counts as after it: keep 'early' clearly before.
      await sleep(5)
      const late = await app.nvent.flow.start('order', { orderId: 'o-1' })
      const stale = await app.nvent.flow.start('order', { orderId: 'early' })
      await waitFor(async () => (await app.nvent.flow.getRun(late.runId))?.steps.charge?.status === 'running', 'the charge step to run')
      // The provider answers before the charge step has even completed.
      expect((await app.nvent.events.emit('paid', { orderId: 'o-1', via: 'callback' })).resolved).toEqual([])
      release()
      expect((await waitForRunEnd(app.nvent, late.runId)).steps.confirm?.output).toEqual({ orderId: 'o-1', via: 'callback' })
      await waitFor(async () => (await app.nvent.flow.getRun(stale.runId))?.steps.confirm?.status === 'awaiting', 'the other run to await')
      await sleep(100)
      expect((await app.nvent.flow.getRun(stale.runId))?.steps.confirm?.status).toBe('awaiting')
    })

    it('an emit in one run resolves another run\'s event await', async () => {
      const app = await apps.start({ flows: {
        waiter: [{ step: 'hold', entry: true, awaitBefore: { type: 'event', event: 'stock.arrived', match: 'sku' }, run: () => {} }],
        supplier: [{ step: 'deliver', entry: true, emits: ['stock.arrived'], run: (input, ctx) => ctx.flow.emit('stock.arrived', input) }],
      } })
      const waiting = await app.nvent.flow.start('waiter', { sku: 'A-1' })
      await waitFor(async () => (await app.nvent.awaits.list()).length === 1, 'the await')
      await app.nvent.flow.start('supplier', { sku: 'A-1' })
      expect((await waitForRunEnd(app.nvent, waiting.runId)).steps.hold?.await?.payload).toEqual({ sku: 'A-1' })
    })

    it('the awaits API lists open awaits, resolves one and rejects another', async () => {
      const app = await apps.start({ flows: { review: [
        { step: 'check', entry: true, awaitBefore: { type: 'webhook' }, run: (_, ctx) => ctx.trigger },
      ] } })
      const good = await app.nvent.flow.start('review', {})
      const bad = await app.nvent.flow.start('review', {})
      const open = await waitFor(async () => {
        const list = await app.nvent.awaits.list('review')
        return list.length === 2 ? list : null
      }, 'two open awaits')
      expect(open.map(a => a.runId).sort()).toEqual([good.runId, bad.runId].sort())
      expect(await app.nvent.awaits.resolve(good.runId, 'check', { ok: 1 })).toBe(true)
      expect(await app.nvent.awaits.reject(bad.runId, 'check', 'looks wrong')).toBe(true)
      expect(await app.nvent.awaits.resolve(bad.runId, 'check')).toBe(false)
      expect((await waitForRunEnd(app.nvent, good.runId)).steps.check?.output).toEqual({ ok: 1 })
      const rejected = await waitForRunEnd(app.nvent, bad.runId)
      expect(rejected.status).toBe('failed')
      expect(rejected.error).toMatch(/await rejected: looks wrong/)
      expect(await app.nvent.awaits.list('review')).toEqual([])
    })

    it('an event await whose run has no value at the match key matches no event', async () => {
      const app = await apps.start({ flows: { order: [
        { step: 'pay', entry: true, awaitBefore: { type: 'event', event: 'paid', match: 'orderId' }, run: () => {} },
      ] } })
      const { runId } = await app.nvent.flow.start('order', { customer: 'c-1' })
      await waitFor(async () => (await app.nvent.awaits.list('order')).length === 1, 'the await')
      expect((await app.nvent.events.emit('paid', {})).resolved).toEqual([])
      expect((await app.nvent.events.emit('paid', { orderId: null })).resolved).toEqual([])
      expect((await app.nvent.flow.getRun(runId))?.steps.pay?.status).toBe('awaiting')
    })

    it('keeps the webhook token out of the run record, and re-arms a lost registration in the sweep', async () => {
      let url: string | undefined
      const app = await apps.start({ flows: { hold: [
        { step: 'gate', entry: true, awaitBefore: { type: 'webhook' }, hooks: { onAwaitRegister: (u) => { url = u } }, run: (_, ctx) => ctx.trigger },
      ] } }, { flow: { stallDetection: { stallTimeout: 50 } } })
      const { runId } = await app.nvent.flow.start('hold', {})
      await waitFor(() => url, 'the await URL')
      expect(JSON.stringify(await app.nvent.flow.getRun(runId))).not.toContain(tokenOf(url))
      // As if the process had stopped between committing the await and indexing it.
      for (const { key } of await app.adapters.store.kvEntries('await:token:'))
        await app.adapters.store.kvDelete(key)
      expect((await app.nvent.webhooks.await(tokenOf(url), 'POST', json({}), {})).status).toBe(404)
      await sleep(60)
      expect(await app.nvent.sweepStalledRuns()).toEqual([])
      expect((await app.nvent.webhooks.await(tokenOf(url), 'POST', json({ late: true }), {})).status).toBe(202)
      expect((await waitForRunEnd(app.nvent, runId)).steps.gate?.output).toEqual({ late: true })
    })

    it('a run that ends while awaiting leaves no token or event subscription behind', async () => {
      let url: string | undefined
      const app = await apps.start({ flows: {
        hold: [{ step: 'gate', entry: true, awaitBefore: { type: 'webhook' }, hooks: { onAwaitRegister: (u) => { url = u } }, run: () => {} }],
        wait: [{ step: 'gate', entry: true, awaitBefore: { type: 'event', event: 'go' }, run: () => {} }],
      } })
      const held = await app.nvent.flow.start('hold', {})
      const waiting = await app.nvent.flow.start('wait', {})
      const indexed = async () => [...await app.adapters.store.kvEntries('await:token:'), ...await app.adapters.store.kvEntries('await:event:')]
      await waitFor(async () => url && (await indexed()).length === 2, 'both awaits to be indexed')
      await app.nvent.flow.cancel(held.runId)
      await app.nvent.flow.cancel(waiting.runId)
      expect(await indexed()).toEqual([])
      expect((await app.nvent.webhooks.await(tokenOf(url), 'POST', json({}), {})).status).toBe(404)
      expect((await app.nvent.events.emit('go', {})).resolved).toEqual([])
    })

    it('a handler and an onAwaitRegister hook that log the await URL leave its token in no run event and no console line', async () => {
      // Warnings and errors are printed on stderr, so the lines log at those levels.
      const printed: string[] = []
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        printed.push(String(chunk))
        return true
      })
      onTestFinished(() => stderr.mockRestore())
      let url: string | undefined
      const logUrl = (ctx: Pick<RunContext, 'logger'>, level: 'warn' | 'error', link: string) =>
        ctx.logger.log(level, `approve at ${link}`, { url: link, mail: { to: 'boss@example.com', links: [link, encodeURIComponent(link)] } })
      const app = await apps.start({ flows: { approve: [
        { step: 'gate', entry: true, awaitBefore: { type: 'webhook' }, hooks: {
          onAwaitRegister: (u, _, ctx) => { url = u; logUrl(ctx, 'error', u!) },
        }, run: (_, ctx) => logUrl(ctx, 'warn', url!) },
      ] } })
      const { runId } = await app.nvent.flow.start('approve', {})
      await waitFor(() => url, 'the await URL')
      const token = tokenOf(url)
      expect((await app.nvent.webhooks.await(token, 'POST', json({ ok: true }), {})).status).toBe(202)
      expect((await waitForRunEnd(app.nvent, runId)).status).toBe('completed')
      const logs = await waitFor(async () => {
        const found = (await app.nvent.flow.events(runId)).filter(e => e.type === 'log')
        return found.length === 2 ? found : null
      }, 'both log events')
      // Console lines are written at the end of the event loop's turn that printed them.
      await new Promise(resolve => setImmediate(resolve))
      stderr.mockRestore()
      expect(JSON.stringify(await app.nvent.flow.events(runId))).not.toContain(token)
      const redacted = url!.replace(token, '[redacted]')
      for (const event of logs) {
        expect(event.data).toMatchObject({ message: `approve at ${redacted}`, meta: { url: redacted, mail: { links: [redacted, expect.stringMatching(/await%2F\[redacted\]$/)] } } })
      }
      const output = printed.join('')
      expect(output).toContain(`approve at ${redacted}`)
      expect(output).not.toContain(token)
    })

    it('a step that fails quoting an await URL leaves its token out of the run', async () => {
      let url: string | undefined
      const app = await apps.start({ flows: { approve: [
        { step: 'ask', entry: true, emits: ['asked'], run: (_, ctx) => ctx.flow.emit('asked') },
        { step: 'gate', subscribes: ['asked'], awaitBefore: { type: 'webhook' }, hooks: { onAwaitRegister: (u) => { url = u } }, run: () => {} },
        { step: 'notify', subscribes: ['asked'], run: async () => {
          await waitFor(() => url, 'the await URL')
          throw new Error(`could not post the approval link ${url}`)
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('approve', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.error).toContain(`could not post the approval link ${url!.replace(tokenOf(url), '[redacted]')}`)
      expect(JSON.stringify([run, await app.nvent.flow.events(runId)])).not.toContain(tokenOf(url))
    })

    it('tokens come from a configured await secret: the store keeps none, and an instance with another secret refuses them', async () => {
      // 32 characters, the shortest accepted.
      const secret = randomBytes(24).toString('base64')
      let url: string | undefined
      const app: TestApp = { flows: { hold: [
        { step: 'gate', entry: true, awaitBefore: { type: 'webhook' }, hooks: { onAwaitRegister: (u) => { url = u } }, run: (_, ctx) => ctx.trigger },
      ] } }
      const first = await apps.start(app, { secrets: { await: secret } })
      const { runId } = await first.nvent.flow.start('hold', {})
      await waitFor(() => url, 'the await URL')
      const token = tokenOf(url)
      expect(await first.adapters.store.kvGet('await:secret')).toBeUndefined()
      const listedToken = async (peer: RunningApp) => tokenOf((await peer.nvent.awaits.list('hold'))[0]?.url)
      const other = await sameStore(first, app, randomBytes(24).toString('base64'))
      expect((await other.nvent.webhooks.await(token, 'POST', json({}), {})).status).toBe(404)
      expect(await listedToken(other)).not.toBe(token)
      // Without a configured secret an instance falls back on the stored one, which gives other tokens again.
      const unconfigured = await sameStore(first, app, undefined)
      expect(await listedToken(unconfigured)).not.toBe(token)
      expect(await first.adapters.store.kvGet('await:secret')).toEqual(expect.any(String))
      expect((await unconfigured.nvent.webhooks.await(token, 'POST', json({}), {})).status).toBe(404)
      expect((await first.nvent.webhooks.await(token, 'POST', json({ by: 'first' }), {})).status).toBe(202)
      expect((await waitForRunEnd(first.nvent, runId)).steps.gate?.output).toEqual({ by: 'first' })
    })

    it('refuses a configured await secret shorter than 32 characters at start', async () => {
      const adapters = await backend.create()
      try {
        await expect(startApp(backend, { flows: {} }, { adapters, secrets: { await: 'x'.repeat(31) } }))
          .rejects.toThrow('nvent: the await secret (runtimeConfig.nvent.awaitSecret, NUXT_NVENT_AWAIT_SECRET) must be a string of at least 32 characters, found 31 characters')
      }
      finally {
        await Promise.all([adapters.queue.close(), adapters.store.close(), adapters.stream.close()])
      }
    })

    it('a run canceled while awaiting stays canceled when its timer comes due', async () => {
      let ran = false
      const app = await apps.start({ flows: { paused: [
        { step: 'later', entry: true, awaitBefore: { type: 'time', delay: 300 }, run: () => { ran = true } },
      ] } })
      const { runId } = await app.nvent.flow.start('paused', {})
      expect(await app.nvent.flow.cancel(runId)).toBe(true)
      await waitFor(async () => (await app.nvent.queue.counts('nvent.timers')).completed === 1, 'the timer to come due')
      expect(ran).toBe(false)
      expect((await app.nvent.flow.getRun(runId))?.status).toBe('canceled')
    })
  })
}
