/**
 * Recovery on each backend: a start cut off between recording the run and enqueueing its entry, starts
 * retried with an idempotency key, and runs in flight when a deploy renamed or removed their steps.
 */
import { describe, expect, it } from 'vitest'
import { createRun } from '../../src/runtime/engine/transitions'
import { countEvents, json, tokenOf, waitFor, waitForRunEnd } from '../helpers/engine-app'
import type { TestApp } from '../helpers/engine-app'
import { useApps } from '../helpers/use-apps'
import { sleep } from '../helpers/wait'
import type { Backend } from './backend'

const NOT_IN_BUILD = /step "gate" of flow "release" is not in this build/

/** A build of flow `release` whose entry step is called `entry`, paused on a webhook await if `awaits`. */
function releaseBuild(entry: string, hooks: { url?: string } = {}, awaits = false): TestApp {
  return { flows: { release: [{
    step: entry,
    entry: true,
    ...(awaits && { awaitBefore: { type: 'webhook' as const }, hooks: { onAwaitRegister: (url?: string) => { hooks.url = url } } }),
    run: () => 'released',
  }] } }
}

export function describeEngineRecovery(backend: Backend) {
  describe(`${backend.name} engine: recovery`, () => {
    const apps = useApps(backend)

    it('the sweep queues again an entry whose enqueue a crash cut off, instead of stalling the run', async () => {
      const app = await apps.start(releaseBuild('gate'), { flow: { stallDetection: { stallTimeout: 50, checkInterval: 50 } } })
      // As if the process had stopped between recording the run and enqueueing its entry.
      const { run, events } = createRun(app.nvent.registry.flows.release!, 'cut-off-start', {}, Date.now())
      await app.adapters.store.createRun(run, events)
      await sleep(80)
      expect(await app.nvent.sweepStalledRuns()).toEqual([])
      const ended = await waitForRunEnd(app.nvent, run.id)
      expect(ended.status).toBe('completed')
      expect(countEvents(await app.nvent.flow.events(run.id), 'step.completed', 'gate')).toBe(1)
    })

    it('a start repeated with the same idempotency key returns the first run and starts nothing new', async () => {
      const app = await apps.start(releaseBuild('gate'))
      const first = await app.nvent.flow.start('release', { n: 1 }, { idempotencyKey: 'deploy-42' })
      const again = await app.nvent.flow.start('release', { n: 2 }, { idempotencyKey: 'deploy-42' })
      const other = await app.nvent.flow.start('release', { n: 3 }, { idempotencyKey: 'deploy-43' })
      expect(again.runId).toBe(first.runId)
      expect(other.runId).not.toBe(first.runId)
      expect((await waitForRunEnd(app.nvent, first.runId)).input).toEqual({ n: 1 })
      await waitForRunEnd(app.nvent, other.runId)
      expect((await app.nvent.flow.listRuns('release')).total).toBe(2)
      await expect(app.nvent.flow.start('release', {}, { idempotencyKey: '' })).rejects.toThrow(/idempotency key must be a string of 1 to 200 characters/)
      await expect(app.nvent.flow.start('release', {}, { idempotencyKey: 'k'.repeat(201) })).rejects.toMatchObject({ status: 400 })
    })

    it('a run awaiting a step the next build renamed fails at once when the await is answered, naming the step', async () => {
      const hooks: { url?: string } = {}
      const before = await apps.start(releaseBuild('gate', hooks, true), { workers: false })
      const { runId } = await before.nvent.flow.start('release', {})
      await waitFor(() => hooks.url, 'the await URL')
      const after = await apps.start(releaseBuild('approve-release', {}, true), { adapters: before.adapters })
      const answer = await after.nvent.webhooks.await(tokenOf(hooks.url), 'POST', json({ ok: true }), {})
      expect(answer).toEqual({ status: 409, body: { error: expect.stringMatching(NOT_IN_BUILD) } })
      const run = await waitForRunEnd(after.nvent, runId)
      expect(run.status).toBe('failed')
      expect(run.error).toMatch(NOT_IN_BUILD)
      expect(countEvents(await after.nvent.flow.events(runId), 'flow.failed')).toBe(1)
      // The await's URL is released with the run.
      expect((await after.nvent.webhooks.await(tokenOf(hooks.url), 'POST', json({}), {})).status).toBe(404)
    })

    it('a queued step the next build renamed fails its run when its job is taken', async () => {
      const before = await apps.start(releaseBuild('gate'), { workers: false })
      const { runId } = await before.nvent.flow.start('release', {})
      // The new build's workers take the old step's job from the flow's queue.
      const after = await apps.start(releaseBuild('ship'), { adapters: before.adapters })
      const run = await waitForRunEnd(after.nvent, runId)
      expect(run.error).toMatch(NOT_IN_BUILD)
      expect(run.steps.gate?.status).toBe('canceled')
    })

    it('the sweep fails at once a run whose queued step no worker of the next build will take', async () => {
      const before = await apps.start(releaseBuild('gate'), { workers: false })
      const { runId } = await before.nvent.flow.start('release', {})
      const next: TestApp = { flows: { release: [{ step: 'ship', entry: true, queue: 'release-next', run: () => {} }] } }
      const after = await apps.start(next, { adapters: before.adapters })
      // Long before the stall timeout: nothing could ever run the step.
      expect(await after.nvent.sweepStalledRuns()).toEqual([])
      expect((await after.nvent.flow.getRun(runId))?.error).toMatch(NOT_IN_BUILD)
    })
  })
}
