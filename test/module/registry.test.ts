import { describe, expect, it } from 'vitest'
import { formatIssue } from '../../src/module/errors'
import { buildRegistry } from '../../src/module/registry'
import type { FunctionSource } from '../../src/module/registry'
import type { FlowStepConfig, FunctionConfig } from '../../src/runtime/types/function'

function source(id: string, config: FunctionConfig = {}): FunctionSource {
  return { id, file: `/app/server/functions/${id}.ts`, displayFile: `server/functions/${id}.ts`, config }
}
const step = (id: string, flow: Omit<FlowStepConfig, 'name'>, config: FunctionConfig = {}) =>
  source(id, { ...config, flow: { name: 'orders', ...flow } })
const messages = (sources: FunctionSource[]) => buildRegistry(sources).issues.map(formatIssue)

describe('buildRegistry', () => {
  it('applies defaults: queue and step are the function id, one attempt', () => {
    const { registry, issues } = buildRegistry([source('jobs/cleanup'), step('orders/start', { role: 'entry' })])
    expect(issues).toEqual([])
    expect(registry.functions['jobs/cleanup']).toEqual({ id: 'jobs/cleanup', file: '/app/server/functions/jobs/cleanup.ts', queue: 'jobs/cleanup', attempts: 1 })
    expect(registry.functions['orders/start']?.flow).toEqual({ name: 'orders', step: 'orders/start' })
    expect(registry.flows.orders).toEqual({
      name: 'orders',
      entry: 'orders/start',
      steps: { 'orders/start': { name: 'orders/start', functionId: 'orders/start', queue: 'orders/start', subscribes: [], emits: [] } },
    })
  })

  it('keeps the configured queue, limiter, concurrency, retries and step timeout', () => {
    const { registry } = buildRegistry([step('charge', { role: 'entry', step: 'charge', stepTimeout: 60_000 }, {
      queue: { name: 'payments', limiter: { max: 5, duration: 1000 } },
      worker: { concurrency: 3 },
      retry: { attempts: 4, backoff: { type: 'fixed', delay: 200 } },
    })])
    expect(registry.functions.charge).toMatchObject({ queue: 'payments', concurrency: 3, attempts: 4, limiter: { max: 5, duration: 1000 }, backoff: { type: 'fixed', delay: 200 } })
    expect(registry.flows.orders?.steps.charge).toMatchObject({ queue: 'payments', stepTimeout: 60_000 })
  })

  it('compiles a fan-out and a fan-in', () => {
    const { registry, issues } = buildRegistry([
      step('start', { role: 'entry', step: 'start', emits: ['placed'] }),
      step('charge', { role: 'step', step: 'charge', subscribes: ['placed'], emits: ['charged'] }),
      step('reserve', { role: 'step', step: 'reserve', subscribes: ['placed'], emits: ['reserved'] }),
      step('ship', { role: 'step', step: 'ship', subscribes: ['charged', 'reserved'] }),
    ])
    expect(issues).toEqual([])
    expect(registry.flows.orders?.entry).toBe('start')
    expect(Object.keys(registry.flows.orders?.steps ?? {})).toEqual(['start', 'charge', 'reserve', 'ship'])
    expect(registry.flows.orders?.steps.ship?.subscribes).toEqual(['charged', 'reserved'])
  })

  it('ignores the subscribes of the entry', () => {
    const { registry } = buildRegistry([step('start', { role: 'entry', step: 'start', subscribes: ['never'] })])
    expect(registry.flows.orders?.steps.start?.subscribes).toEqual([])
  })

  it('rejects a flow without an entry', () => {
    expect(messages([step('a', { role: 'step', subscribes: ['x'], emits: ['x'] })])).toContain(
      `server/functions/a.ts: config.flow.role must be 'entry' in exactly one step of flow 'orders', but no step is`,
    )
  })

  it('rejects a flow with several entries, naming each file', () => {
    expect(messages([step('a', { role: 'entry' }), step('b', { role: 'entry' })])).toEqual([
      `server/functions/a.ts, server/functions/b.ts: config.flow.role must be 'entry' in exactly one step of flow 'orders', but 2 steps are ('a', 'b')`,
    ])
  })

  it('rejects two steps with one name', () => {
    expect(messages([
      step('a', { role: 'entry', step: 'a', emits: ['go'] }),
      step('b', { role: 'step', step: 'same', subscribes: ['go'] }),
      step('c', { role: 'step', step: 'same', subscribes: ['go'] }),
    ])).toEqual([`server/functions/b.ts, server/functions/c.ts: config.flow.step 'same' names 2 steps of flow 'orders'; step names must be unique in a flow`])
  })

  it('rejects a subscribe to an event no step emits', () => {
    expect(messages([step('a', { role: 'entry', emits: ['go'] }), step('b', { role: 'step', subscribes: ['go', 'gone'] })]))
      .toEqual([`server/functions/b.ts: config.flow.subscribes[1] 'gone' is not emitted by any step of flow 'orders'`])
  })

  it('rejects a non-entry step without subscribes', () => {
    expect(messages([step('a', { role: 'entry' }), step('b', { role: 'step' })]))
      .toEqual([`server/functions/b.ts: config.flow.subscribes must list at least one event: step 'b' of flow 'orders' would never run`])
  })

  it('detects a cycle and names the steps in it', () => {
    expect(messages([
      step('start', { role: 'entry', step: 'start', emits: ['begun'] }),
      step('a', { role: 'step', step: 'a', subscribes: ['begun', 'c.done'], emits: ['a.done'] }),
      step('b', { role: 'step', step: 'b', subscribes: ['a.done'], emits: ['b.done'] }),
      step('c', { role: 'step', step: 'c', subscribes: ['b.done'], emits: ['c.done'] }),
    ])).toEqual([
      `server/functions/a.ts, server/functions/b.ts, server/functions/c.ts: config.flow.subscribes form a cycle in flow 'orders': a → b → c → a (a step runs at most once per run)`,
    ])
  })

  it('detects a step that subscribes to its own event', () => {
    expect(messages([step('start', { role: 'entry', emits: ['go'] }), step('loop', { role: 'step', step: 'loop', subscribes: ['go', 'again'], emits: ['again'] })]))
      .toEqual([`server/functions/loop.ts: config.flow.subscribes form a cycle in flow 'orders': loop → loop (a step runs at most once per run)`])
  })

  it('checks each flow on its own', () => {
    const { registry, issues } = buildRegistry([
      source('a', { flow: { name: 'one', role: 'entry' } }),
      source('b', { flow: { name: 'two', role: 'entry' } }),
    ])
    expect(issues).toEqual([])
    expect(Object.keys(registry.flows)).toEqual(['one', 'two'])
  })
})

describe('buildRegistry: triggers, awaits and hooks', () => {
  const entryOf = (id: string, flow: string, triggers: FlowStepConfig['triggers']) => source(id, { flow: { name: flow, role: 'entry', step: id, triggers } })

  it('has empty triggers and subscriptions without any trigger config', () => {
    const { registry } = buildRegistry([source('plain')])
    expect(registry.triggers).toEqual({})
    expect(registry.subscriptions).toEqual({})
  })

  it('compiles a defined trigger with its defaults, and subscribes the defining flow to it', () => {
    const { registry, issues } = buildRegistry([entryOf('report', 'reports', { define: { name: 'nightly', type: 'time' }, config: { cron: '0 3 * * *' } })])
    expect(issues).toEqual([])
    expect(registry.triggers).toEqual({
      nightly: { name: 'nightly', type: 'time', scope: 'flow', displayName: 'nightly', definedIn: 'server/functions/report.ts', config: { cron: '0 3 * * *' } },
    })
    expect(registry.subscriptions).toEqual({ nightly: [{ flow: 'reports', mode: 'auto' }] })
  })

  it('keeps the given scope, display name, description and mode, and the flows subscribing to a global trigger', () => {
    const { registry, issues } = buildRegistry([
      entryOf('intake', 'intake', {
        define: { name: 'order.placed', type: 'event', scope: 'global', displayName: 'Order placed', description: 'From the shop' },
        subscribe: [],
      }),
      entryOf('audit', 'audit', { subscribe: ['order.placed', 'order.placed'], mode: 'manual' }),
      entryOf('mail', 'mail', { subscribe: ['order.placed', 'registered-at-runtime'] }),
    ])
    expect(issues).toEqual([])
    expect(registry.triggers['order.placed']).toEqual({
      name: 'order.placed',
      type: 'event',
      scope: 'global',
      displayName: 'Order placed',
      description: 'From the shop',
      definedIn: 'server/functions/intake.ts',
      config: {},
    })
    // `subscribe: []` opts the defining flow out; a name no config defines may be registered at runtime.
    expect(registry.subscriptions).toEqual({
      'order.placed': [{ flow: 'audit', mode: 'manual' }, { flow: 'mail', mode: 'auto' }],
      'registered-at-runtime': [{ flow: 'mail', mode: 'auto' }],
    })
  })

  it('rejects one trigger name defined in two files, naming both', () => {
    expect(messages([
      entryOf('a', 'one', { define: { name: 'nightly', type: 'time' }, config: { cron: '0 3 * * *' } }),
      entryOf('b', 'two', { define: { name: 'nightly', type: 'manual' } }),
    ])).toEqual([
      `server/functions/a.ts, server/functions/b.ts: config.flow.triggers.define.name 'nightly' is defined by 2 function configs; trigger names must be unique in the app`,
    ])
  })

  it('rejects a subscription by another flow to a flow-scoped trigger', () => {
    expect(messages([
      entryOf('a', 'one', { define: { name: 'go', type: 'manual' } }),
      entryOf('b', 'two', { subscribe: ['go'] }),
    ])).toEqual([
      `server/functions/b.ts, server/functions/a.ts: config.flow.triggers.subscribe[0] 'go' belongs to the flow that defines it (scope 'flow'); define it with scope: 'global' to start flow 'two' too`,
    ])
  })

  it('copies the awaits onto the step, only where configured', () => {
    const awaitAfter = { type: 'webhook', method: 'POST', timeout: 60_000, timeoutAction: 'continue' } as const
    const { registry, issues } = buildRegistry([
      step('start', { role: 'entry', step: 'start', emits: ['placed'], awaitBefore: { type: 'time', delay: 1000 } }),
      step('approve', { role: 'step', step: 'approve', subscribes: ['placed'], awaitAfter }),
    ])
    expect(issues).toEqual([])
    expect(registry.flows.orders?.steps.start).toEqual({
      name: 'start', functionId: 'start', queue: 'start', subscribes: [], emits: ['placed'], awaitBefore: { type: 'time', delay: 1000 },
    })
    expect(registry.flows.orders?.steps.approve?.awaitAfter).toEqual(awaitAfter)
    expect(registry.flows.orders?.steps.approve).not.toHaveProperty('awaitBefore')
  })

  it('records the hooks a file exports, and none when it exports none', () => {
    const { registry } = buildRegistry([{ ...source('approve'), hooks: ['onAwaitRegister'] }, { ...source('plain'), hooks: [] }])
    expect(registry.functions.approve?.hooks).toEqual(['onAwaitRegister'])
    expect(registry.functions.plain).not.toHaveProperty('hooks')
  })
})
