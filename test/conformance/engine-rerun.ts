/** Reruns: with the original or a new input, from the failed step (steps reused, branches), and refusals. */
import { describe, expect, it } from 'vitest'
import type { RunningApp, TestApp } from '../helpers/engine-app'
import { countEvents, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'

/**
 * load → charge → ship, where ship subscribes to both emits; charge throws while `flags.failing`.
 * `calls` counts each step's handler calls.
 */
function orderFlow(flags: { failing: boolean }, calls: Record<string, number>): TestApp {
  const count = (step: string) => { calls[step] = (calls[step] ?? 0) + 1 }
  return { flows: { order: [
    { step: 'load', entry: true, emits: ['loaded'], run: async (input, ctx) => { count('load'); await ctx.flow.emit('loaded', { id: input.id, load: calls.load }) } },
    { step: 'charge', subscribes: ['loaded'], emits: ['charged'], run: async (input, ctx) => {
      count('charge')
      if (flags.failing)
        throw new Error('card declined')
      await ctx.flow.emit('charged', { amount: input.loaded.id * 10 })
    } },
    { step: 'ship', subscribes: ['loaded', 'charged'], run: async (input) => { count('ship'); return input } },
  ] } }
}

export function describeEngineRerun(backend: Backend) {
  describe(`${backend.name} engine: rerun`, () => {
    const apps = useApps(backend)

    it('reruns a run with its input, or with a new one, linked to it by rerunOf', async () => {
      const app = await apps.start({ flows: { greet: [{ step: 'hello', entry: true, run: async input => input }] } })
      const { runId } = await app.nvent.flow.start('greet', { name: 'ada' })
      await waitForRunEnd(app.nvent, runId)
      const same = await app.nvent.flow.rerun(runId)
      const edited = await app.nvent.flow.rerun(runId, { input: { name: 'bob' } })
      expect(new Set([runId, same.runId, edited.runId]).size).toBe(3)
      const sameRun = await waitForRunEnd(app.nvent, same.runId)
      expect(sameRun).toMatchObject({ status: 'completed', input: { name: 'ada' }, rerunOf: runId })
      expect(sameRun.steps.hello).toMatchObject({ output: { name: 'ada' } })
      expect(sameRun.steps.hello?.reused).toBeUndefined()
      expect(sameRun.rerunFrom).toBeUndefined()
      const editedRun = await waitForRunEnd(app.nvent, edited.runId)
      expect(editedRun).toMatchObject({ status: 'completed', input: { name: 'bob' }, rerunOf: runId, steps: { hello: { output: { name: 'bob' } } } })
      const [start] = await app.nvent.flow.events(edited.runId)
      expect(start).toMatchObject({ type: 'flow.start', data: { input: { name: 'bob' }, rerunOf: runId } })
      // Its input is held to the rules of `start`'s.
      await expect(app.nvent.flow.rerun(runId, { input: { name: 'nul\0' } })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/input of flow "greet"/) })
    })

    it('a rerun of a triggered run keeps its trigger, and may rerun a run still running', async () => {
      let release!: () => void
      const gate = new Promise<void>((resolve) => { release = resolve })
      const app = await apps.start({ flows: { notify: [{
        step: 'send',
        entry: true,
        triggers: { define: { name: 'notify.now', type: 'manual' } },
        run: async (_, ctx) => { await gate; return ctx.trigger },
      }] } })
      const [runId] = (await app.nvent.triggers.fire('notify.now', { to: 'ops' })).runIds
      await waitFor(async () => (await app.nvent.flow.getRun(runId!))?.steps.send?.status === 'running', 'the step to start')
      const again = await app.nvent.flow.rerun(runId!)
      release()
      const run = await waitForRunEnd(app.nvent, again.runId)
      expect(run).toMatchObject({ status: 'completed', rerunOf: runId, trigger: { name: 'notify.now', data: { to: 'ops' } } })
      expect(run.steps.send?.output).toEqual({ to: 'ops' })
      expect((await waitForRunEnd(app.nvent, runId!)).status).toBe('completed')
    })

    it('reruns from the failed step with the run state the reused steps left', async () => {
      let failing = true
      const app = await apps.start({ flows: { book: [
        { step: 'hold', entry: true, emits: ['held'], run: async (_, ctx) => { await ctx.state.set('seat', '12A'); await ctx.flow.emit('held', {}) } },
        { step: 'pay', subscribes: ['held'], run: async (_, ctx) => {
          if (failing)
            throw new Error('bank down')
          return ctx.state.get('seat')
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('book', {})
      expect((await waitForRunEnd(app.nvent, runId)).status).toBe('failed')
      failing = false
      const run = await waitForRunEnd(app.nvent, (await app.nvent.flow.rerun(runId, { fromFailedStep: true })).runId)
      expect(run.steps.pay).toMatchObject({ status: 'completed', output: '12A' })
    })

    it('reruns from the failed step: completed steps are reused, not run again, and feed the steps that run', async () => {
      const flags = { failing: true }
      const calls: Record<string, number> = {}
      const app = await apps.start(orderFlow(flags, calls))
      const { runId } = await app.nvent.flow.start('order', { id: 7 })
      const original = await waitForRunEnd(app.nvent, runId)
      expect(original.status).toBe('failed')
      flags.failing = false
      const { runId: rerunId } = await app.nvent.flow.rerun(runId, { fromFailedStep: true })
      const run = await waitForRunEnd(app.nvent, rerunId)
      expect(run).toMatchObject({ status: 'completed', input: { id: 7 }, rerunOf: runId, rerunFrom: ['charge'] })
      expect(calls).toEqual({ load: 1, charge: 2, ship: 1 })
      const { reused, ...load } = run.steps.load!
      expect(reused).toBe(true)
      expect(load).toEqual(original.steps.load)
      expect(run.steps.charge).toMatchObject({ status: 'completed', attempt: 1 })
      expect(run.steps.charge?.reused).toBeUndefined()
      expect(run.steps.ship?.output).toEqual({ loaded: { id: 7, load: 1 }, charged: { amount: 70 } })
      const events = await app.nvent.flow.events(rerunId)
      expect(events[0]).toMatchObject({ type: 'flow.start', data: { input: { id: 7 }, rerunOf: runId, rerunFrom: ['charge'] } })
      expect(countEvents(events, 'step.started', 'load')).toBe(0)
      expect(countEvents(events, 'step.started', 'charge')).toBe(1)
      // The original is left as it was.
      expect(await app.nvent.flow.getRun(runId)).toEqual(original)
    })

    it('reruns from the failed step only the branch that failed', async () => {
      let failing = true
      const calls: Record<string, number> = {}
      const count = (step: string) => { calls[step] = (calls[step] ?? 0) + 1 }
      const app: RunningApp = await apps.start({ flows: { fan: [
        { step: 'split', entry: true, emits: ['go'], run: async (_, ctx) => { count('split'); await ctx.flow.emit('go', 1) } },
        { step: 'a', subscribes: ['go'], emits: ['a.done'], run: async (_, ctx) => { count('a'); await ctx.flow.emit('a.done', 'A') } },
        { step: 'b', subscribes: ['go'], emits: ['b.done'], run: async (_, ctx) => {
          count('b')
          if (failing) {
            // Fails once the other branch has completed, so the failure cancels nothing of it.
            await waitFor(async () => (await app.nvent.flow.getRun(ctx.runId!))?.steps.a?.status === 'completed', 'branch a to complete')
            throw new Error('b broke')
          }
          await ctx.flow.emit('b.done', 'B')
        } },
        { step: 'join', subscribes: ['a.done', 'b.done'], run: async (input) => { count('join'); return input } },
      ] } })
      const { runId } = await app.nvent.flow.start('fan', {})
      const original = await waitForRunEnd(app.nvent, runId)
      expect(original.steps).toMatchObject({ a: { status: 'completed' }, b: { status: 'failed' } })
      failing = false
      const { runId: rerunId } = await app.nvent.flow.rerun(runId, { fromFailedStep: true })
      const run = await waitForRunEnd(app.nvent, rerunId)
      expect(run).toMatchObject({ status: 'completed', rerunFrom: ['b'], steps: { split: { reused: true }, a: { reused: true } } })
      expect(calls).toEqual({ split: 1, a: 1, b: 2, join: 1 })
      expect(run.steps.join?.output).toEqual({ 'a.done': 'A', 'b.done': 'B' })
    })

    it('refuses a rerun of an unknown run, a bad argument, and from the failed step a run that did not fail', async () => {
      let release!: () => void
      const gate = new Promise<void>((resolve) => { release = resolve })
      const app = await apps.start({ flows: {
        quick: [{ step: 'only', entry: true, run: async () => 'done' }],
        slow: [{ step: 'wait', entry: true, run: async () => { await gate } }],
      } })
      const done = await app.nvent.flow.start('quick', {})
      await waitForRunEnd(app.nvent, done.runId)
      const running = await app.nvent.flow.start('slow', {})
      await expect(app.nvent.flow.rerun(done.runId, { fromFailedStep: true })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/run ".+" is completed: only a run that ended without completing \(failed, canceled, stalled\)/) })
      await expect(app.nvent.flow.rerun(running.runId, { fromFailedStep: true })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/is running/) })
      await expect(app.nvent.flow.rerun(done.runId, { fromFailedStep: true, input: {} })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^nvent: a rerun from the failed step takes no input/) })
      await expect(app.nvent.flow.rerun('no-such-run')).rejects.toMatchObject({ status: 404, message: 'nvent: unknown run "no-such-run"' })
      await expect(app.nvent.flow.rerun('no-such-run', { fromFailedStep: true })).rejects.toMatchObject({ status: 404 })
      release()
      await waitForRunEnd(app.nvent, running.runId)
    })

    it('a rerun of a flow the build no longer has is refused; one whose failed step it no longer has completes at once', async () => {
      const flags = { failing: true }
      const before = await apps.start(orderFlow(flags, {}))
      const { runId } = await before.nvent.flow.start('order', { id: 1 })
      expect((await waitForRunEnd(before.nvent, runId)).status).toBe('failed')
      // The next build dropped `charge` and `ship`: nothing is left to run after `load`.
      const next = await apps.start({ flows: { order: [{ step: 'load', entry: true, emits: ['loaded'], run: () => {} }] } }, { adapters: before.adapters, workers: false })
      const { runId: rerunId } = await next.nvent.flow.rerun(runId, { fromFailedStep: true })
      const run = await next.nvent.flow.getRun(rerunId)
      expect(run).toMatchObject({ status: 'completed', rerunFrom: [], steps: { load: { status: 'completed', reused: true } } })
      expect(Object.keys(run!.steps)).toEqual(['load'])
      const renamed = await apps.start({ flows: { other: [{ step: 'x', entry: true, run: () => {} }] } }, { adapters: before.adapters, workers: false })
      await expect(renamed.nvent.flow.rerun(runId)).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/unknown flow "order"/) })
    })
  })
}
