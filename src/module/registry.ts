/** Compiles the validated function configs into the `Registry` the runtime receives. */
import type { FunctionConfig } from '../runtime/types/function'
import type { Registry, RegistryFunction, RegistryStep } from '../runtime/types/registry'
import type { BuildIssue } from './errors'
import { checkFlow } from './flow-graph'
import type { FlowMember } from './flow-graph'
import { compileTriggers } from './registry-triggers'

/** One discovered function with its validated config. */
export interface FunctionSource {
  /** Path under the functions dir without extension, `/`-separated. */
  id: string
  /** Absolute path of the file. */
  file: string
  /** The file relative to rootDir, for messages. */
  displayFile: string
  /** `{}` for a file without a config. */
  config: FunctionConfig
  /** The await hooks the file exports (see extract-config.ts). @default [] */
  hooks?: string[]
  /** Whether the file exports its events' payloads as a type `Emits`. @default false */
  emitsType?: boolean
}

/** Builds the registry and checks every flow's graph; the registry is only usable when `issues` is empty. */
export function buildRegistry(sources: FunctionSource[]): { registry: Registry, issues: BuildIssue[] } {
  const registry: Registry = { functions: {}, flows: {}, triggers: {}, subscriptions: {} }
  const flowMembers = new Map<string, FlowMember[]>()

  for (const source of sources) {
    const fn = toRegistryFunction(source)
    registry.functions[fn.id] = fn
    const flow = source.config.flow
    if (!flow || !fn.flow) continue
    const step: RegistryStep = {
      name: fn.flow.step,
      functionId: fn.id,
      queue: fn.queue,
      // The entry is started by the flow, never by events: its subscribes are documented as ignored.
      subscribes: flow.role === 'entry' ? [] : unique(flow.subscribes ?? []),
      emits: unique(flow.emits ?? []),
      ...(flow.stepTimeout !== undefined && { stepTimeout: flow.stepTimeout }),
      ...(flow.awaitBefore && { awaitBefore: flow.awaitBefore }),
      ...(flow.awaitAfter && { awaitAfter: flow.awaitAfter }),
    }
    const members = flowMembers.get(flow.name) ?? []
    members.push({ step, role: flow.role, displayFile: source.displayFile })
    flowMembers.set(flow.name, members)
  }

  const issues = compileTriggers(sources, registry)
  for (const [name, members] of flowMembers) {
    issues.push(...checkFlow(name, members))
    const entry = members.find(member => member.role === 'entry')
    registry.flows[name] = {
      name,
      entry: entry?.step.name ?? '',
      steps: Object.fromEntries(members.map(member => [member.step.name, member.step])),
    }
  }
  return { registry, issues }
}

function toRegistryFunction({ id, file, config, hooks = [], emitsType }: FunctionSource): RegistryFunction {
  return {
    id,
    file,
    queue: config.queue?.name ?? id,
    attempts: config.retry?.attempts ?? 1,
    ...(config.worker?.concurrency !== undefined && { concurrency: config.worker.concurrency }),
    ...(config.queue?.limiter && { limiter: config.queue.limiter }),
    ...(config.retry?.backoff && { backoff: config.retry.backoff }),
    ...(config.flow && { flow: { name: config.flow.name, step: config.flow.step ?? id } }),
    ...(hooks.length > 0 && { hooks }),
    ...(emitsType && { emitsType: true as const }),
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}
