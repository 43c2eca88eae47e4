import { describe, expect, it } from 'vitest'
import type { FlowLayout, LayoutDirection } from '../../devtools-client/src/graph-layout'
import { awaitId, edgePath, layoutFlow, stepId, triggerId } from '../../devtools-client/src/graph-layout'
import type { FlowGraph, FlowStepNode } from '../../src/runtime/types/monitor'

const step = (name: string, rest: Partial<FlowStepNode> = {}): FlowStepNode =>
  ({ name, functionId: `shop/${name}`, queue: 'shop', attempts: 1, subscribes: [], emits: [], ...rest })

/** A fan-out and fan-in with awaits and two triggers: the shapes a flow can take. */
const shop: FlowGraph = {
  name: 'shop',
  entry: 'receive',
  steps: [
    step('receive', { emits: ['received'] }),
    step('pay', { subscribes: ['received'], emits: ['paid'], awaitBefore: { type: 'webhook' } }),
    step('pick', { subscribes: ['received'], emits: ['picked', 'weighed'] }),
    step('ship', { subscribes: ['paid', 'picked', 'weighed'], awaitAfter: { type: 'time', delay: 60_000 } }),
  ],
  edges: [
    { event: 'received', from: 'receive', to: 'pay' },
    { event: 'received', from: 'receive', to: 'pick' },
    { event: 'paid', from: 'pay', to: 'ship' },
    { event: 'picked', from: 'pick', to: 'ship' },
    { event: 'weighed', from: 'pick', to: 'ship' },
  ],
  triggers: [
    { name: 'nightly', type: 'time', mode: 'auto', enabled: true, cron: '0 3 * * *' },
    { name: 'by-hand', type: 'manual', mode: 'manual', enabled: false },
  ],
}

const node = (layout: FlowLayout, id: string) => layout.nodes.find(n => n.id === id)!
/** Where a node starts along the direction of the flow. */
const along = (layout: FlowLayout, id: string, direction: LayoutDirection) => direction === 'TB' ? node(layout, id).y : node(layout, id).x

describe.each(['TB', 'LR'] as const)('graph layout %s', (direction) => {
  const layout = layoutFlow(shop, direction)

  it('draws every step, trigger and await as a node', () => {
    expect(layout.nodes.filter(n => n.kind === 'step').map(n => n.id).sort()).toEqual(['pay', 'pick', 'receive', 'ship'].map(stepId))
    expect(layout.nodes.filter(n => n.kind === 'trigger').map(n => n.id)).toEqual(['nightly', 'by-hand'].map(triggerId))
    expect(layout.nodes.filter(n => n.kind === 'await').map(n => n.id).sort()).toEqual([awaitId('pay', 'before'), awaitId('ship', 'after')].sort())
    expect(node(layout, stepId('receive'))).toMatchObject({ entry: true })
  })

  it('puts the triggers before the entry and each step after what it subscribes to', () => {
    for (const trigger of shop.triggers)
      expect(along(layout, triggerId(trigger.name), direction)).toBeLessThan(along(layout, stepId('receive'), direction))
    for (const edge of layout.edges)
      expect(along(layout, edge.source, direction)).toBeLessThan(along(layout, edge.target, direction))
    expect(along(layout, awaitId('pay', 'before'), direction)).toBeLessThan(along(layout, stepId('pay'), direction))
    expect(along(layout, awaitId('ship', 'after'), direction)).toBeGreaterThan(along(layout, stepId('ship'), direction))
  })

  it('links emits to subscribes with the events as label, through the awaits, and each trigger to the entry', () => {
    const events = layout.edges.filter(edge => edge.events).map(({ source, target, events }) => `${source} ${events!.join()} ${target}`)
    expect(events.sort()).toEqual([
      `${stepId('pay')} paid ${stepId('ship')}`,
      // Two events between the same steps: one edge, or they would be drawn over each other.
      `${stepId('pick')} picked,weighed ${stepId('ship')}`,
      `${stepId('receive')} received ${awaitId('pay', 'before')}`,
      `${stepId('receive')} received ${stepId('pick')}`,
    ])
    expect(layout.edges.filter(edge => edge.source.startsWith('trigger:')).map(edge => edge.target)).toEqual([stepId('receive'), stepId('receive')])
    expect(new Set(layout.edges.map(edge => edge.id)).size).toBe(layout.edges.length)
  })

  it('never overlaps two nodes', () => {
    for (const [i, a] of layout.nodes.entries()) {
      for (const b of layout.nodes.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true)
      }
    }
    expect(Math.min(...layout.nodes.map(n => Math.min(n.x, n.y)))).toBeGreaterThanOrEqual(0)
  })
})

describe('graph layout', () => {
  it('lays out a one-step flow without triggers, and leads a trigger into the entry\'s await', () => {
    const single = layoutFlow({ name: 'one', entry: 'only', steps: [step('only')], edges: [], triggers: [] })
    expect(single).toEqual({ nodes: [expect.objectContaining({ id: stepId('only'), x: expect.any(Number), y: expect.any(Number) })], edges: [] })
    const waiting = layoutFlow({ name: 'w', entry: 'only', steps: [step('only', { awaitBefore: { type: 'event', event: 'go' } })], edges: [], triggers: [shop.triggers[0]!] })
    expect(waiting.edges.map(edge => [edge.source, edge.target])).toEqual([[triggerId('nightly'), awaitId('only', 'before')], [awaitId('only', 'before'), stepId('only')]])
  })
})

describe('graph layout: edge routes', () => {
  const layout = layoutFlow(shop)
  const inside = (p: { x: number, y: number }, n: FlowLayout['nodes'][number], margin = 0) =>
    p.x > n.x - margin && p.x < n.x + n.width + margin && p.y > n.y - margin && p.y < n.y + n.height + margin

  it('routes each edge from its source\'s border to its target\'s, with its label clear of every node', () => {
    for (const edge of layout.edges) {
      const [from, to] = [node(layout, edge.source), node(layout, edge.target)]
      expect(inside(edge.points[0]!, from, 1), `${edge.id} starts on ${from.id}`).toBe(true)
      expect(inside(edge.points.at(-1)!, to, 1), `${edge.id} ends on ${to.id}`).toBe(true)
      if (edge.events) {
        for (const other of layout.nodes)
          expect(inside(edge.labelAt!, other, 9), `${edge.id}'s label on ${other.id}`).toBe(false)
      }
    }
  })

  it('draws a route as a path through each of its points', () => {
    expect(edgePath([{ x: 0, y: 0 }, { x: 12, y: 24 }])).toBe('M0,0 C2,4 10,20 12,24')
    const curved = edgePath([{ x: 0, y: 0 }, { x: 6, y: 6 }, { x: 0, y: 12 }])
    expect(curved.split(' C').map(segment => segment.split(' ').at(-1))).toEqual(['M0,0', '6,6', '0,12'])
    expect(edgePath([])).toBe('')
  })
})
