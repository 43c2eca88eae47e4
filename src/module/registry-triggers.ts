/**
 * Compiles the `flow.triggers` of the function configs: the triggers they define and the flows that
 * subscribe to each trigger name. Checked here because only the whole app shows a name defined twice.
 */
import type { Registry, RegistryTrigger } from '../runtime/types/registry'
import type { BuildIssue } from './errors'
import type { FunctionSource } from './registry'

/** Fills `registry.triggers` and `registry.subscriptions`; returns the problems found across files. */
export function compileTriggers(sources: FunctionSource[], registry: Registry): BuildIssue[] {
  const issues: BuildIssue[] = []
  const definers = new Map<string, FunctionSource[]>()

  for (const source of sources) {
    const flow = source.config.flow
    const define = flow?.triggers?.define
    if (!flow?.triggers || !define) continue
    definers.set(define.name, [...(definers.get(define.name) ?? []), source])
    // The first definition wins so the registry stays usable for the rest of the checks.
    registry.triggers[define.name] ??= {
      name: define.name,
      type: define.type,
      scope: define.scope ?? 'flow',
      displayName: define.displayName ?? define.name,
      ...(define.description !== undefined && { description: define.description }),
      definedIn: source.displayFile,
      config: flow.triggers.config ?? {},
    }
  }
  for (const [name, same] of definers) {
    if (same.length > 1) {
      issues.push({
        files: same.map(source => source.displayFile),
        field: 'config.flow.triggers.define.name',
        message: `'${name}' is defined by ${same.length} function configs; trigger names must be unique in the app`,
      })
    }
  }

  for (const source of sources) {
    const flow = source.config.flow
    if (!flow?.triggers) continue
    const { define, subscribe, mode = 'auto' } = flow.triggers
    const names = subscribe ?? (define ? [define.name] : [])
    names.forEach((name, index) => {
      const trigger = registry.triggers[name]
      if (trigger && !allowsFlow(trigger, flow.name, definers.get(name) ?? [])) {
        issues.push({
          files: [source.displayFile, trigger.definedIn],
          field: `config.flow.triggers.subscribe[${index}]`,
          message: `'${name}' belongs to the flow that defines it (scope 'flow'); define it with scope: 'global' to start flow '${flow.name}' too`,
        })
      }
      const subscribers = registry.subscriptions[name] ??= []
      if (!subscribers.some(subscriber => subscriber.flow === flow.name)) subscribers.push({ flow: flow.name, mode })
    })
  }
  return issues
}

/** A `flow`-scoped trigger starts only the flow (or flows) whose configs define it. */
function allowsFlow(trigger: RegistryTrigger, flowName: string, definers: FunctionSource[]): boolean {
  return trigger.scope === 'global' || definers.some(source => source.config.flow?.name === flowName)
}
