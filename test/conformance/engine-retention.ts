/**
 * Retention through the engine on each backend: finished runs pruned per flow with their logs and state,
 * run state cleaned up as `store.state.cleanup` says, and runs of flows a deploy removed not left behind.
 */
import { describe, expect, it } from 'vitest'
import type { StateCleanup } from '../../src/runtime/types/options'
import type { TestApp } from '../helpers/engine-app'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import { sleep } from '../helpers/wait'
import type { Backend } from './backend'

/** Flow `note`: keeps its input in state, then completes, or fails when the input says so. */
const noteApp: TestApp = { flows: { note: [{ step: 'keep', entry: true, run: async (input: { fail?: boolean }, ctx) => {
  await ctx.state.set('input', input)
  if (input.fail)
    throw new Error('asked to fail')
} }] } }

export function describeEngineRetention(backend: Backend) {
  describe(`${backend.name} engine: retention`, () => {
    const apps = useApps(backend)

    /** Runs the inputs one after another, so they finish in order. */
    async function runs(app: Awaited<ReturnType<typeof apps.start>>, flow: string, inputs: unknown[]) {
      const ids: string[] = []
      for (const input of inputs) {
        ids.push((await app.nvent.flow.start(flow, input)).runId)
        await waitForRunEnd(app.nvent, ids.at(-1)!)
      }
      return ids
    }

    it('prunes each flow\'s finished runs beyond its retention, with their events and state', async () => {
      const app = await apps.start({ flows: { note: noteApp.flows!.note!, audit: noteApp.flows!.note!.map(step => ({ ...step })) } }, {
        store: { retention: { completed: { count: 2 }, failed: { count: 1 }, flows: { audit: { completed: { count: 3 } } } }, state: { cleanup: 'never' } },
      })
      const notes = await runs(app, 'note', [{ n: 1 }, { n: 2 }, { n: 3 }, { fail: true }, { fail: true }, { n: 4 }])
      const audits = await runs(app, 'audit', [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])
      expect(await app.nvent.pruneFinishedRuns()).toBe(2 + 1 + 1)
      const kept = async (flow: string) => (await app.nvent.flow.listRuns(flow, { limit: 50 })).items.map(run => run.id).sort()
      expect(await kept('note')).toEqual([notes[2], notes[4], notes[5]].sort())
      expect(await kept('audit')).toEqual(audits.slice(1).sort())
      for (const id of [notes[0]!, notes[1]!, notes[3]!, audits[0]!]) {
        expect(await app.nvent.flow.getRun(id)).toBeNull()
        expect(await app.nvent.flow.events(id)).toEqual([])
        expect(await app.adapters.store.stateGet(id, 'input')).toBeUndefined()
      }
      expect(await app.adapters.store.stateGet(notes[5]!, 'input')).toEqual({ n: 4 })
    })

    it('removes run state as store.state.cleanup says', async () => {
      // The state goes just after the run's final transition: wait for it, or give it time to go wrongly.
      const stateAfter = async (cleanup: StateCleanup, input: object, kept: boolean) => {
        const app = await apps.start(noteApp, { store: { state: { cleanup, ttl: 150 } } })
        const [runId] = await runs(app, 'note', [input])
        const read = () => app.adapters.store.stateGet(runId!, 'input')
        if (kept)
          await sleep(150)
        else
          await waitFor(async () => (await read()) === undefined, `the state to go with cleanup '${cleanup}'`)
        return read()
      }
      expect(await stateAfter('on-complete', { n: 1 }, false)).toBeUndefined()
      expect(await stateAfter('on-complete', { fail: true }, true)).toEqual({ fail: true })
      expect(await stateAfter('immediate', { fail: true }, false)).toBeUndefined()
      expect(await stateAfter('never', { n: 2 }, true)).toEqual({ n: 2 })
      const ttlApp = await apps.start(noteApp, { store: { state: { cleanup: 'ttl', ttl: 150 } } })
      const [runId] = await runs(ttlApp, 'note', [{ fail: true }])
      await waitFor(async () => (await ttlApp.adapters.store.stateGet(runId!, 'input')) === undefined, 'the state to expire after its ttl')
    })

    it('removes a plain function\'s state when its job ends for good', async () => {
      let scope: string | undefined
      let seenBySecondAttempt = 0
      const app = await apps.start({ functions: { tally: { queue: 'tally', attempts: 2, run: async (input: { fail: boolean }, ctx) => {
        scope = `job:${ctx.queue}:${ctx.jobId}`
        // State outlives a failed attempt: the second one sees what the first kept.
        seenBySecondAttempt = ((await ctx.state.get<number>('seen')) ?? 0) + 1
        await ctx.state.set('seen', seenBySecondAttempt)
        if (input.fail && ctx.attempt === 1)
          throw new Error('first attempt fails')
      } } } })
      const jobId = await app.nvent.queue.enqueue('tally', { name: 'tally', data: { fail: true } })
      await waitFor(async () => (await app.nvent.queue.getJob('tally', jobId))?.state === 'completed', 'the job to complete on its second attempt')
      expect(scope).toBe(`job:tally:${jobId}`)
      expect(await app.adapters.store.stateGet(scope!, 'seen')).toBeUndefined()
      expect(seenBySecondAttempt).toBe(2)
    })

    it('prunes and fails the runs of a flow the next build removed', async () => {
      // The legacy step holds its run until the run ends, so one run stays running into the next build.
      let released = false
      const legacy: TestApp = { flows: { legacy: [{ step: 'only', entry: true, run: async (input: { hold?: boolean }, ctx) => {
        if (input.hold)
          await new Promise(resolve => ctx.signal.addEventListener('abort', resolve)).then(() => released = true)
      } }] } }
      const before = await apps.start(legacy)
      await runs(before, 'legacy', [{}, {}, {}])
      const held = await before.nvent.flow.start('legacy', { hold: true })
      await waitFor(async () => (await before.nvent.flow.getRun(held.runId))?.steps.only?.status === 'running', 'the held step to run')
      const next = await apps.start(noteApp, { adapters: before.adapters, workers: false, store: { retention: { completed: { count: 1 } } } })
      expect(await next.nvent.pruneFinishedRuns()).toBe(2)
      expect((await next.nvent.flow.listRuns('legacy')).total).toBe(2)
      expect(await next.nvent.sweepStalledRuns()).toEqual([])
      expect((await next.nvent.flow.getRun(held.runId))?.error).toMatch(/step "only" of flow "legacy" is not in this build/)
      // The failed run's handler hears of it through the stream and stops, so its app can close.
      await waitFor(() => released, 'the held handler to see its run end')
    })
  })
}
