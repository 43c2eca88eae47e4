// The await transitions as pure functions: what opens an await, what ends it, and that only one ending wins.
import { describe, expect, it } from 'vitest'
import { endAwait } from '../../src/runtime/engine/await-transitions'
import { completeStep, beginAttempt, createRun, stallRun } from '../../src/runtime/engine/transitions'
import type { RegistryFlow } from '../../src/runtime/types/registry'
import type { RunRecord } from '../../src/runtime/types/run'

const flow: RegistryFlow = {
  name: 'f',
  entry: 'a',
  steps: {
    a: { name: 'a', functionId: 'f/a', queue: 'f', subscribes: [], emits: ['done'], awaitAfter: { type: 'webhook', timeout: 1000 } },
    b: { name: 'b', functionId: 'f/b', queue: 'f', subscribes: ['done'], emits: [], awaitBefore: { type: 'event', event: 'go', match: 'id' } },
  },
}

function completedEntry(): RunRecord {
  const created = createRun(flow, 'r1', { id: 5 }, 0).run
  const started = beginAttempt(created, 'a', 1, 1)!.run
  return completeStep(started, flow, 'a', 1, [{ name: 'done', data: 1 }], 'out', 2)!.run
}

describe('await transitions', () => {
  it('awaitAfter keeps the emits and activates nothing until the await resolves', () => {
    const run = completedEntry()
    expect(run.steps.a).toMatchObject({ status: 'awaiting', output: 'out', await: { phase: 'after', type: 'webhook', deadline: 1002, pendingEmits: [{ name: 'done', data: 1 }] } })
    expect(run.emitted).toEqual({})
    expect(run.steps.b).toBeUndefined()
  })

  it('resolving commits the emits and opens the next step\'s awaitBefore with its match value', () => {
    const resolved = endAwait(completedEntry(), flow, 'a', 'after', { outcome: 'resolved', payload: { ok: 1 } }, 3)!
    expect(resolved.run.emitted).toEqual({ done: 1 })
    expect(resolved.run.steps.a).toMatchObject({ status: 'completed', activated: ['b'], await: { outcome: 'resolved', payload: { ok: 1 } } })
    expect(resolved.run.steps.a!.await!.pendingEmits).toBeUndefined()
    expect(resolved.run.steps.b).toMatchObject({ status: 'awaiting', await: { phase: 'before', event: 'go', matchKey: 'id', matchValue: 5 } })
    expect(resolved.events.map(e => e.type)).toEqual(['await.resolved', 'emit', 'await.registered'])
    expect(resolved.run.status).toBe('running')
  })

  it('only the first ending wins, and only for the phase that is open', () => {
    const run = completedEntry()
    expect(endAwait(run, flow, 'a', 'before', { outcome: 'resolved' }, 3)).toBeNull()
    expect(JSON.stringify(run)).not.toMatch(/token/)
    const timedOut = endAwait(run, flow, 'a', 'after', { outcome: 'timeout', failure: 'await timed out' }, 3)!
    expect(timedOut.run.status).toBe('failed')
    expect(timedOut.events.map(e => e.type)).toEqual(['await.timeout', 'step.failed', 'flow.failed'])
    expect(endAwait(timedOut.run, flow, 'a', 'after', { outcome: 'resolved' }, 4)).toBeNull()
  })

  it('an awaiting step cannot begin an attempt, and its run is not stalled', () => {
    const run = completedEntry()
    expect(beginAttempt(run, 'a', 2, 5)).toBeNull()
    expect(stallRun(run, 10, 1_000_000)).toBeNull()
  })
})
