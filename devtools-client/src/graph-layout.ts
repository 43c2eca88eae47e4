/**
 * A flow's graph laid out for drawing: triggers, then the entry, then each step below (or right of) the
 * steps whose events it subscribes to. A step's awaits are nodes of their own right before and after it,
 * so a pause reads as a stage of the flow. Dagre places everything from fixed node sizes, so nothing is
 * hand-placed and nothing overlaps, whatever the flow's shape.
 */
import dagre from '@dagrejs/dagre'
import type { AwaitConfig, AwaitPhase } from '../../src/runtime/types/await'
import type { FlowGraph, FlowStepNode, FlowTriggerNode } from '../../src/runtime/types/monitor'

export type LayoutDirection = 'TB' | 'LR'

type NodeContent =
  | { kind: 'step', step: FlowStepNode, entry: boolean }
  | { kind: 'trigger', trigger: FlowTriggerNode }
  | { kind: 'await', step: string, phase: AwaitPhase, config: AwaitConfig }

type SizedNode = NodeContent & { id: string, width: number, height: number }

/** A node with its top-left corner, as vue-flow positions nodes. */
export type LayoutNode = SizedNode & { x: number, y: number }

export interface Point {
  x: number
  y: number
}

interface LinkedNodes {
  id: string
  source: string
  target: string
  /** The events carried from the emitting step to the subscribing one (one edge for all); none on trigger and await links. */
  events?: string[]
}

/** An edge with its route: dagre's points from border to border, and its label's centre, clear of nodes. */
export interface LayoutEdge extends LinkedNodes {
  points: Point[]
  labelAt?: Point
}

export interface FlowLayout {
  nodes: LayoutNode[]
  edges: LayoutEdge[]
}

/** Node sizes the node components are drawn at (FlowGraph sets them on each node). */
export const NODE_SIZE = {
  step: { width: 220, height: 56 },
  trigger: { width: 190, height: 50 },
  await: { width: 220, height: 30 },
  /** An await with a timeout says so on a second line. */
  awaitWithTimeout: { width: 220, height: 44 },
} as const

/** Room dagre keeps for an edge's label: about a 10px monospace character each. */
const LABEL_HEIGHT = 18
const labelWidth = (label: string) => label.length * 6.5 + 14

/** An edge's label: its events. */
export const eventsLabel = (events: string[]) => events.join(', ')

export const stepId = (step: string) => `step:${step}`
export const triggerId = (trigger: string) => `trigger:${trigger}`
export const awaitId = (step: string, phase: AwaitPhase) => `await:${phase}:${step}`

export function layoutFlow(graph: FlowGraph, direction: LayoutDirection = 'TB'): FlowLayout {
  const nodes: SizedNode[] = []
  const edges: LinkedNodes[] = []
  const byStep = new Map(graph.steps.map(step => [step.name, step]))
  // Where edges into a step arrive and edges out of it leave: its awaits when it has them.
  const entryOf = (name: string) => byStep.get(name)?.awaitBefore ? awaitId(name, 'before') : stepId(name)
  const exitOf = (name: string) => byStep.get(name)?.awaitAfter ? awaitId(name, 'after') : stepId(name)

  for (const trigger of graph.triggers) {
    nodes.push({ id: triggerId(trigger.name), kind: 'trigger', trigger, ...NODE_SIZE.trigger })
    edges.push({ id: `${triggerId(trigger.name)}->entry`, source: triggerId(trigger.name), target: entryOf(graph.entry) })
  }
  for (const step of graph.steps) {
    nodes.push({ id: stepId(step.name), kind: 'step', step, entry: step.name === graph.entry, ...NODE_SIZE.step })
    for (const [phase, config] of [['before', step.awaitBefore], ['after', step.awaitAfter]] as const) {
      if (!config)
        continue
      const id = awaitId(step.name, phase)
      nodes.push({ id, kind: 'await', step: step.name, phase, config, ...(config.timeout ? NODE_SIZE.awaitWithTimeout : NODE_SIZE.await) })
      edges.push(phase === 'before'
        ? { id: `${id}->step`, source: id, target: stepId(step.name) }
        : { id: `step->${id}`, source: stepId(step.name), target: id })
    }
  }
  // Events between the same two steps share one edge: parallel edges would be drawn on top of each other.
  const between = new Map<string, LinkedNodes & { events: string[] }>()
  for (const edge of graph.edges) {
    if (!byStep.has(edge.from) || !byStep.has(edge.to))
      continue
    const id = `event:${edge.from}->${edge.to}`
    const shared = between.get(id)
    if (shared)
      shared.events.push(edge.event)
    else
      between.set(id, { id, source: exitOf(edge.from), target: entryOf(edge.to), events: [edge.event] })
  }
  edges.push(...between.values())

  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: direction, nodesep: 28, ranksep: 36, edgesep: 16, marginx: 8, marginy: 8 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const node of nodes)
    g.setNode(node.id, { width: node.width, height: node.height })
  for (const edge of edges) {
    const label = edge.events ? { width: labelWidth(eventsLabel(edge.events)), height: LABEL_HEIGHT, labelpos: 'c' } : {}
    g.setEdge(edge.source, edge.target, label)
  }
  dagre.layout(g)

  return {
    nodes: nodes.map((node) => {
      const { x, y } = g.node(node.id)
      return { ...node, x: x - node.width / 2, y: y - node.height / 2 }
    }),
    edges: edges.map((edge) => {
      const { points, x, y } = g.edge(edge.source, edge.target)
      return { ...edge, points: points.map(({ x, y }) => ({ x, y })), ...(edge.events && { labelAt: { x, y } }) }
    }),
  }
}

/**
 * An SVG path through the points (a Catmull-Rom spline as cubic Béziers): smooth, and through each point,
 * so it passes under its label, which dagre placed on the route.
 */
export function edgePath(points: Point[]): string {
  const at = ({ x, y }: Point) => `${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`
  if (points.length === 0)
    return ''
  const p = (i: number) => points[Math.max(0, Math.min(points.length - 1, i))]!
  let path = `M${at(points[0]!)}`
  for (let i = 0; i < points.length - 1; i++) {
    const [before, from, to, after] = [p(i - 1), p(i), p(i + 1), p(i + 2)]
    const c1 = { x: from.x + (to.x - before.x) / 6, y: from.y + (to.y - before.y) / 6 }
    const c2 = { x: to.x - (after.x - from.x) / 6, y: to.y - (after.y - from.y) / 6 }
    path += ` C${at(c1)} ${at(c2)} ${at(to)}`
  }
  return path
}
