/** Activation rules: order, fan-out, fan-in, branches, duplicate emits, state, nesting. */
import { describe, expect, it } from 'vitest'
import { countEvents, waitForRunEnd } from '../helpers/engine-app'
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
  })
}
