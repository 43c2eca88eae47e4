/** Activation rules: order, fan-out, fan-in, branches, duplicate emits, state, nesting. */
import { describe, expect, it } from 'vitest'
import type { RunningApp } from '../helpers/engine-app'
import { countEvents, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'

export function describeEngineFlows(backend: Backend) {
  describe(`${backend.name} engine: activation`, () => {
    const apps = useApps(backend)

    it('passes the input to the entry and emitted payloads, keyed by event, to the next step', async () => {
      const seen: unknown[] = []
      const app = await apps.start({ flows: { order: [
        { step: 'receive', entry: true, emits: ['received'], run: async (input, ctx) => { await ctx.flow.emit('received', { n: input.n + 1 }) } },
        { step: 'ship', subscribes: ['received'], run: async (input) => { seen.push(input); return 'shipped' } },
      ] } })
      const { runId } = await app.nvent.flow.start('order', { n: 1 })
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(seen).toEqual([{ received: { n: 2 } }])
      expect(run.steps.ship?.output).toBe('shipped')
      const types = (await app.nvent.flow.events(runId)).map(e => e.type)
      expect(types[0]).toBe('flow.start')
      expect(types.at(-1)).toBe('flow.completed')
    })

    it('fans out to every subscriber and fans in once, after all its subscribes', async () => {
      const fanInInputs: unknown[] = []
      const app = await apps.start({ flows: { fan: [
        { step: 'split', entry: true, emits: ['go'], run: async (_, ctx) => { await ctx.flow.emit('go', 1) } },
        { step: 'a', subscribes: ['go'], emits: ['a.done'], run: async (_, ctx) => { await new Promise(r => setTimeout(r, 30)); await ctx.flow.emit('a.done', 'A') } },
        { step: 'b', subscribes: ['go'], emits: ['b.done'], run: async (_, ctx) => { await ctx.flow.emit('b.done', 'B') } },
        { step: 'join', subscribes: ['a.done', 'b.done'], run: async (input) => { fanInInputs.push(input) } },
      ] } })
      const { runId } = await app.nvent.flow.start('fan', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(fanInInputs).toEqual([{ 'a.done': 'A', 'b.done': 'B' }])
      const events = await app.nvent.flow.events(runId)
      expect(countEvents(events, 'step.started', 'join')).toBe(1)
      const joinStart = events.findIndex(e => e.type === 'step.started' && e.step === 'join')
      const aDone = events.findIndex(e => e.type === 'step.completed' && e.step === 'a')
      expect(joinStart).toBeGreaterThan(aDone)
    })

    it('completes a run whose other branch was not taken', async () => {
      const app = await apps.start({ flows: { branch: [
        { step: 'decide', entry: true, emits: ['yes', 'no'], run: async (input, ctx) => { await ctx.flow.emit(input.ok ? 'yes' : 'no', input) } },
        { step: 'onYes', subscribes: ['yes'], run: async () => 'y' },
        { step: 'onNo', subscribes: ['no'], run: async () => 'n' },
      ] } })
      const { runId } = await app.nvent.flow.start('branch', { ok: false })
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(run.steps.onNo?.status).toBe('completed')
      expect(run.steps.onYes).toBeUndefined()
    })

    it('activates a step once when its event is emitted twice and enqueued again', async () => {
      let runs = 0
      const app = await apps.start({ flows: { dup: [
        { step: 'start', entry: true, emits: ['ping'], run: async (_, ctx) => { await ctx.flow.emit('ping', 1); await ctx.flow.emit('ping', 2) } },
        { step: 'echo', subscribes: ['ping'], emits: ['pong'], run: async (input, ctx) => { runs++; await ctx.flow.emit('pong', input.ping) } },
        { step: 'also', subscribes: ['ping'], emits: ['pong'], run: async (_, ctx) => { await ctx.flow.emit('pong', 'other') } },
        { step: 'last', subscribes: ['pong'], run: async () => { runs += 100 } },
      ] } })
      const { runId } = await app.nvent.flow.start('dup', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(runs).toBe(101)
      expect(run.emitted.ping).toBe(1)
      // A late duplicate delivery of an activation that already ran starts nothing.
      await app.adapters.queue.enqueue('dup', { name: 'dup/echo', data: { runId, flowName: 'dup', step: 'echo' }, opts: { jobId: 'late-duplicate' } })
      await new Promise(r => setTimeout(r, 100))
      expect(runs).toBe(101)
      expect(countEvents(await app.nvent.flow.events(runId), 'step.started', 'echo')).toBe(1)
    })

    it('shares state across steps and drops it after its ttl', async () => {
      const app = await apps.start({ flows: { stateful: [
        { step: 'put', entry: true, emits: ['put'], run: async (_, ctx) => {
          await ctx.state.set('order', { id: 7 })
          await ctx.state.set('short', 'x', { ttl: 40 })
          await ctx.flow.emit('put')
        } },
        { step: 'read', subscribes: ['put'], run: async (_, ctx) => {
          await new Promise(r => setTimeout(r, 80))
          return { order: await ctx.state.get('order'), short: await ctx.state.get('short') }
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('stateful', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.steps.read?.output).toEqual({ order: { id: 7 }, short: undefined })
      expect(countEvents(await app.nvent.flow.events(runId), 'state')).toBe(2)
    })

    it('starts a nested flow that records its parent', async () => {
      let childRunId = ''
      const app = await apps.start({ flows: {
        parent: [{ step: 'spawn', entry: true, run: async (_, ctx) => { childRunId = (await ctx.flow.startFlow('child', { from: ctx.runId })).runId } }],
        child: [{ step: 'work', entry: true, run: async input => input }],
      } })
      const { runId } = await app.nvent.flow.start('parent', {})
      expect((await waitForRunEnd(app.nvent, runId)).status).toBe('completed')
      const child = await waitForRunEnd(app.nvent, childRunId)
      expect(child.status).toBe('completed')
      expect(child.parentRunId).toBe(runId)
      expect(child.steps.work?.output).toEqual({ from: runId })
    })

    it('lists the child runs on the parent once, though a retried step starts them again', async () => {
      const childIds: string[] = []
      const app = await apps.start({ flows: {
        parent: [{ step: 'spawn', entry: true, attempts: 2, run: async (_, ctx) => {
          childIds.push((await ctx.flow.startFlow('child', { attempt: ctx.attempt })).runId)
          if (ctx.attempt === 1)
            throw new Error('after starting the child')
        } }],
        child: [{ step: 'work', entry: true, run: async input => input }],
      } })
      const { runId } = await app.nvent.flow.start('parent', {})
      const parent = await waitForRunEnd(app.nvent, runId)
      expect(parent.status).toBe('completed')
      expect(childIds).toHaveLength(2)
      expect(childIds[1]).toBe(childIds[0])
      expect(parent.children).toEqual([{ runId: childIds[0], flowName: 'child', step: 'spawn' }])
      expect((await waitForRunEnd(app.nvent, childIds[0]!)).parentRunId).toBe(runId)
    })

    it('coalesces a step\'s progress reports into at most one event per 250 ms, the last before it completes', async () => {
      let app!: RunningApp
      const refusals: string[] = []
      app = await apps.start({
        flows: { long: [{ step: 'work', entry: true, run: async (_, ctx) => {
          for (let i = 1; i <= 100; i++)
            ctx.progress(i, `item ${i}`)
          // The pending report is written when its window ends; then, past the window, one is written at once.
          const written = async (percent: number) => (await app.nvent.flow.events(ctx.runId!)).some(e => e.type === 'step.progress' && (e.data as any).percent === percent)
          await waitFor(() => written(100), 'the pending report to be written')
          await new Promise(r => setTimeout(r, 300))
          ctx.progress(50.5)
          ctx.progress(55)
          ctx.progress(60)
          await waitFor(() => written(60), 'the next pending report to be written')
          for (const bad of [101, -1, Number.NaN, '50'])
            try { ctx.progress(bad as number) } catch (error) { refusals.push((error as Error).message) }
          ctx.progress(100, 'done')
        } }] },
        functions: { plain: { run: async (_, ctx) => { ctx.progress(50); return 'ok' } } },
      })
      const { runId } = await app.nvent.flow.start('long', {})
      expect((await waitForRunEnd(app.nvent, runId)).status).toBe('completed')
      const events = await app.nvent.flow.events(runId)
      const progress = events.filter(e => e.type === 'step.progress')
      expect(progress.map(e => e.data)).toEqual([
        { percent: 1, message: 'item 1' },
        { percent: 100, message: 'item 100' },
        { percent: 50.5 },
        { percent: 60 },
        { percent: 100, message: 'done' },
      ])
      expect(progress.every(e => e.step === 'work' && e.attempt === 1)).toBe(true)
      expect(events.findIndex(e => e.type === 'step.completed')).toBeGreaterThan(events.indexOf(progress.at(-1)!))
      expect(refusals).toEqual([101, -1, 'NaN', '"50"'].map(shown => `ctx.progress: percent must be a finite number from 0 to 100 (got ${shown})`))
      // A plain function has no run: its reports go nowhere, and it runs on.
      const jobId = await app.nvent.queue.enqueue('plain', { name: 'plain', data: {} })
      await waitFor(async () => (await app.nvent.queue.getJob('plain', jobId))?.state === 'completed', 'the plain job to complete')
    })

    it('records logs in order before the step completes', async () => {
      const app = await apps.start({ flows: { logs: [
        { step: 'talk', entry: true, run: async (_, ctx) => { for (let i = 0; i < 5; i++) ctx.logger.log('info', `line ${i}`) } },
      ] } })
      const { runId } = await app.nvent.flow.start('logs', {})
      await waitForRunEnd(app.nvent, runId)
      const events = await app.nvent.flow.events(runId)
      const logs = events.filter(e => e.type === 'log').map(e => (e.data as any).message)
      expect(logs).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4'])
      const lastLog = events.findLastIndex(e => e.type === 'log')
      expect(events.findIndex(e => e.type === 'step.completed')).toBeGreaterThan(lastLog)
    })

    it('shows a running step\'s log lines and state notes in the run log while it runs, and keeps those of a step whose run was canceled', async () => {
      let release!: () => void
      const held = new Promise<void>(resolve => release = resolve)
      const app = await apps.start({ flows: { slow: [
        { step: 'work', entry: true, run: async (_, ctx) => {
          ctx.logger.log('info', 'started')
          await ctx.state.set('phase', 'one')
          await held
          ctx.logger.log('info', 'after the cancel')
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('slow', {})
      const shown = await waitFor(async () => {
        const events = await app.nvent.flow.events(runId)
        return events.some(e => e.type === 'log') && events.some(e => e.type === 'state') ? events : null
      }, 'the log line and state note of the running step', 2_000)
      expect(shown.some(e => e.type === 'step.completed')).toBe(false)
      await app.nvent.flow.cancel(runId)
      release()
      await waitFor(async () => (await app.nvent.flow.events(runId)).some(e => e.type === 'log' && (e.data as { message: string }).message === 'after the cancel'), 'the line logged after the cancel')
    })
  })
}
