/** Failure rules: retries, final failure, emits of failed attempts, timeouts, bad emits. */
import { describe, expect, it } from 'vitest'
import { countEvents, waitForRunEnd } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import type { Backend } from './backend'

export function describeEngineFailures(backend: Backend) {
  describe(`${backend.name} engine: failures`, () => {
    const apps = useApps(backend)

    it('retries a failing step with backoff and completes when an attempt succeeds', async () => {
      const attempts: number[] = []
      const app = await apps.start({ flows: { flaky: [
        { step: 'try', entry: true, attempts: 3, backoff: { type: 'fixed', delay: 20 }, run: async (_, ctx) => {
          attempts.push(ctx.attempt)
          if (ctx.attempt < 3)
            throw new Error(`boom ${ctx.attempt}`)
          return 'ok'
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('flaky', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('completed')
      expect(attempts).toEqual([1, 2, 3])
      const retries = (await app.nvent.flow.events(runId)).filter(e => e.type === 'step.retry')
      expect(retries.map(e => (e.data as any).error)).toEqual(['boom 1', 'boom 2'])
    })

    it('keeps each failed attempt\'s error with its stack; a thrown string or object has a message and no stack', async () => {
      const app = await apps.start({ flows: { shaky: [
        { step: 'try', entry: true, attempts: 3, backoff: { type: 'fixed', delay: 10 }, run: async (_, ctx) => {
          if (ctx.attempt === 1)
            throw new Error('first')
          // eslint-disable-next-line no-throw-literal
          throw ctx.attempt === 2 ? 'second' : { code: 3 }
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('shaky', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('failed')
      const step = run.steps.try!
      expect(step.error).toBe('{"code":3}')
      expect(step.errors?.map(({ attempt, message, stack }) => ({ attempt, message, stack }))).toEqual([
        { attempt: 1, message: 'first', stack: expect.stringMatching(/^Error: first\n\s+at /) },
        { attempt: 2, message: 'second', stack: undefined },
        { attempt: 3, message: '{"code":3}', stack: undefined },
      ])
      expect(step.errors!.every(e => e.at >= run.createdAt && e.at <= run.finishedAt!)).toBe(true)
      expect(step.errors![0]!.at).toBeLessThan(step.errors![2]!.at)
      const events = await app.nvent.flow.events(runId)
      expect(events.filter(e => e.type === 'step.retry').map(e => e.data)).toEqual([
        { error: 'first', stack: step.errors![0]!.stack, nextAttempt: 2 },
        { error: 'second', nextAttempt: 3 },
      ])
      expect(events.find(e => e.type === 'step.failed')?.data).toEqual({ error: '{"code":3}' })
    })

    it('fails the run when a step exhausts its attempts and starts nothing after it', async () => {
      let downstream = 0
      const app = await apps.start({ flows: { doomed: [
        { step: 'first', entry: true, emits: ['go'], run: async (_, ctx) => { await ctx.flow.emit('go') } },
        { step: 'broken', subscribes: ['go'], emits: ['done'], attempts: 2, run: async () => { throw new Error('always') } },
        { step: 'after', subscribes: ['done'], run: async () => { downstream++ } },
      ] } })
      const { runId } = await app.nvent.flow.start('doomed', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('failed')
      expect(run.error).toContain('always')
      expect(run.steps.broken?.status).toBe('failed')
      expect(downstream).toBe(0)
      const events = await app.nvent.flow.events(runId)
      expect(countEvents(events, 'step.started', 'broken')).toBe(2)
      expect(countEvents(events, 'step.failed', 'broken')).toBe(1)
      expect(events.at(-1)?.type).toBe('flow.failed')
    })

    it('discards the emits of an attempt that throws, and commits the retry\'s emits', async () => {
      const received: unknown[] = []
      const app = await apps.start({ flows: { emitter: [
        { step: 'emit', entry: true, emits: ['value'], attempts: 2, run: async (_, ctx) => {
          await ctx.flow.emit('value', ctx.attempt)
          if (ctx.attempt === 1)
            throw new Error('after emit')
        } },
        { step: 'use', subscribes: ['value'], run: async (input) => { received.push(input.value) } },
      ] } })
      const { runId } = await app.nvent.flow.start('emitter', {})
      expect((await waitForRunEnd(app.nvent, runId)).status).toBe('completed')
      expect(received).toEqual([2])
    })

    it('fails an attempt that emits an event its config does not declare', async () => {
      const app = await apps.start({ flows: { strict: [
        { step: 'only', entry: true, emits: ['declared'], run: async (_, ctx) => { await ctx.flow.emit('undeclared') } },
      ] } })
      const { runId } = await app.nvent.flow.start('strict', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('failed')
      expect(run.error).toMatch(/emitted "undeclared", which is not in its config's flow.emits \[declared\]/)
    })

    it('times out a step, aborting its signal', async () => {
      let aborted = false
      const app = await apps.start({ flows: { slow: [
        { step: 'hang', entry: true, stepTimeout: 50, run: async (_, ctx) => {
          await new Promise(resolve => ctx.signal.addEventListener('abort', resolve))
          aborted = ctx.signal.aborted
        } },
      ] } })
      const { runId } = await app.nvent.flow.start('slow', {})
      const run = await waitForRunEnd(app.nvent, runId)
      expect(run.status).toBe('failed')
      expect(run.error).toContain('timed out after 50 ms')
      expect(aborted).toBe(true)
    })

    it('keeps working after handlers throw non-errors and reject', async () => {
      const app = await apps.start({ flows: {
        // eslint-disable-next-line no-throw-literal
        weird: [{ step: 'throw', entry: true, run: () => { throw 'a string' } }],
        fine: [{ step: 'ok', entry: true, run: async () => 'fine' }],
      } })
      const bad = await app.nvent.flow.start('weird', {})
      expect((await waitForRunEnd(app.nvent, bad.runId)).error).toContain('a string')
      const good = await app.nvent.flow.start('fine', {})
      expect((await waitForRunEnd(app.nvent, good.runId)).status).toBe('completed')
    })
  })
}
