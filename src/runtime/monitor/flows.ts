/** Each flow's graph: steps, the events between them, the triggers that start it. */
import type { FlowEdge, FlowGraph, FlowStepNode, FlowTriggerNode } from '../types/monitor'
import type { RegistryFlow } from '../types/registry'
import type { TriggerInfo } from '../types/trigger'
import type { MonitorDeps } from './deps'

export async function flowGraphs(deps: MonitorDeps): Promise<FlowGraph[]> {
  const triggers = await deps.triggers.list()
  return Object.values(deps.context.registry.flows).map(flow => ({
    name: flow.name,
    entry: flow.entry,
    steps: stepNodes(deps, flow),
    edges: edges(flow),
    triggers: triggerNodes(flow.name, triggers),
  }))
}

function stepNodes({ context, dev }: MonitorDeps, flow: RegistryFlow): FlowStepNode[] {
  return Object.values(flow.steps).map((step) => {
    const fn = context.registry.functions[step.functionId]
    return {
      name: step.name,
      functionId: step.functionId,
      queue: step.queue,
      attempts: fn?.attempts ?? 1,
      subscribes: step.subscribes,
      emits: step.emits,
      ...(step.stepTimeout !== undefined && { timeout: step.stepTimeout }),
      ...(step.awaitBefore && { awaitBefore: step.awaitBefore }),
      ...(step.awaitAfter && { awaitAfter: step.awaitAfter }),
      // A production build's paths mean nothing to its viewers and tell them about the build machine.
      ...(dev && fn && { file: fn.file }),
    }
  })
}

function edges(flow: RegistryFlow): FlowEdge[] {
  const steps = Object.values(flow.steps)
  return steps.flatMap(from => from.emits.flatMap(event => steps
    .filter(to => to.subscribes.includes(event))
    .map(to => ({ event, from: from.name, to: to.name }))))
}

function triggerNodes(flowName: string, triggers: TriggerInfo[]): FlowTriggerNode[] {
  return triggers.flatMap((trigger) => {
    const subscriber = trigger.subscribers.find(s => s.flow === flowName)
    if (!subscriber)
      return []
    return [{
      name: trigger.name,
      type: trigger.type,
      mode: subscriber.mode,
      enabled: trigger.enabled,
      ...(trigger.config.cron && { cron: trigger.config.cron }),
      ...(trigger.config.timezone && { timezone: trigger.config.timezone }),
    }]
  })
}
