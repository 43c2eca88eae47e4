/** Steering runs: cancel, stall detection, queries, plain functions. */
import { describe, expect, it } from 'vitest'
import { countEvents, waitFor, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'

export function describeEngineControl(backend: Backend) {
  describe(`${backend.name} engine: control`, () => {
    const apps = useApps(backend)

    it('cancels a run: the running handler sees its signal abort and queued steps never start', async () => {
      let started = false
      let abortSeen = false
      let laterRan = false
      const app = await apps.start({ flows: { long: [
        { step: 'wait', entry: true, emits: ['waited'], run: async (_, ctx) => {
          started = true
          await new Promise(resolve => ctx.signal.addEventListener('abort', resolve))
          abortSeen = true
          await ctx.flow.emit('waited')
        } },
        { step: 'later', subscribes: ['waited'], run: async () => { laterRan = true } },
      ] } })
      const { runId } = await app.nvent.flow.start('long', {})
      await waitFor(() => started, 'the first step to start')
      expect(await app.nvent.flow.isRunning('long', runId)).toBe(true)
      expect(await app.nvent.flow.cancel(runId)).toBe(true)
      await waitFor(() => abortSeen, 'the handler to see the abort')
      await new Promise(r => setTimeout(r, 100))
      const run = await app.nvent.flow.getRun(runId)
      expect(run?.status).toBe('canceled')
      expect(run?.steps.wait?.status).toBe('canceled')
      expect(laterRan).toBe(false)
      expect(await app.nvent.flow.cancel(runId)).toBe(false)
      expect(countEvents(await app.nvent.flow.events(runId), 'flow.cancel')).toBe(1)
    })

    it('cancels a queued step before it starts', async () => {
      let ran = false
      // Without workers the entry stays queued until they start.
      const app = await apps.start({ flows: { idle: [{ step: 'never', entry: true, run: async () => { ran = true } }] } }, { workers: false })
      const { runId } = await app.nvent.flow.start('idle', {})
      expect((await app.nvent.flow.getRun(runId))?.steps.never?.status).toBe('queued')
      await app.nvent.flow.cancel(runId)
      await app.nvent.start({ workers: true })
      await waitFor(async () => (await app.nvent.queue.counts('idle')).completed === 1, 'the canceled job to be taken and dropped')
      expect(ran).toBe(false)
      expect((await app.nvent.flow.getRun(runId))?.steps.never?.status).toBe('canceled')
    })

    it('marks a run without progress stalled and aborts its handler, and leaves a live one running', async () => {
      let stuckAborted = false
      let stopLive = false
      const app = await apps.start({ flows: {
        stuck: [{ step: 'hang', entry: true, run: async (_, ctx) => {
          await new Promise(resolve => ctx.signal.addEventListener('abort', resolve))
          stuckAborted = true
        } }],
        live: [{ step: 'busy', entry: true, run: async (_, ctx) => {
          while (!stopLive && !ctx.signal.aborted) {
            ctx.logger.log('info', 'still here')
            await new Promise(r => setTimeout(r, 40))
          }
        } }],
      } }, { flow: { stallDetection: { stallTimeout: 200 } } })
      const stuck = await app.nvent.flow.start('stuck', {})
      const live = await app.nvent.flow.start('live', {})
      await new Promise(r => setTimeout(r, 300))
      expect(await app.nvent.sweepStalledRuns()).toEqual([stuck.runId])
      expect((await app.nvent.flow.getRun(stuck.runId))?.status).toBe('stalled')
      expect(countEvents(await app.nvent.flow.events(stuck.runId), 'flow.stalled')).toBe(1)
      await waitFor(() => stuckAborted, 'the stalled handler to be aborted')
      expect((await app.nvent.flow.getRun(live.runId))?.status).toBe('running')
      stopLive = true
      expect((await waitForRunEnd(app.nvent, live.runId)).status).toBe('completed')
    })

    it('lists runs by status with a total, and reports running flows', async () => {
      const app = await apps.start({ flows: { quick: [{ step: 'q', entry: true, run: async () => 1 }] } })
      const ids = []
      for (let i = 0; i < 5; i++)
        ids.push((await app.nvent.flow.start('quick', { i })).runId)
      for (const id of ids)
        await waitForRunEnd(app.nvent, id)
      const page = await app.nvent.flow.listRuns('quick', { status: 'completed', limit: 2 })
      expect(page.total).toBe(5)
      expect(page.items).toHaveLength(2)
      const next = await app.nvent.flow.listRuns('quick', { status: 'completed', limit: 10, cursor: page.cursor })
      expect(new Set([...page.items, ...next.items].map(r => r.id))).toEqual(new Set(ids))
      expect(await app.nvent.flow.getRunningFlows('quick')).toEqual([])
      expect(await app.nvent.flow.isRunning('quick')).toBe(false)
    })

    it('runs a plain function enqueued by name, and rejects an unknown one naming the queue', async () => {
      const sent: unknown[] = []
      const app = await apps.start({ functions: { 'send-email': { queue: 'emails', run: async (input, ctx) => { sent.push({ input, queue: ctx.queue }); return { sent: true } } } } })
      const jobId = await app.nvent.queue.enqueue('emails', { name: 'send-email', data: { to: 'a@b.c' } })
      const job = await waitFor(async () => {
        const j = await app.nvent.queue.getJob('emails', jobId)
        return j?.state === 'completed' ? j : null
      }, 'the email job to complete')
      expect(job.returnValue).toEqual({ sent: true })
      expect(sent).toEqual([{ input: { to: 'a@b.c' }, queue: 'emails' }])
      await expect(app.nvent.queue.enqueue('emails', { name: 'nope', data: {} })).rejects.toThrow(/queue "emails" has no function "nope" \(its functions: send-email\)/)
      await expect(app.nvent.flow.start('missing')).rejects.toThrow(/unknown flow "missing"/)
    })
  })
}
