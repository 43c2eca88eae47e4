/**
 * Checks one flow's graph: exactly one entry, unique step names, every subscribed event emitted by some
 * step, every non-entry step subscribed to something, and no cycle from emits to subscribes.
 */
import type { RegistryStep } from '../runtime/types/registry'
import type { BuildIssue } from './errors'

/** A step of the flow with what the checks need to name it. */
export interface FlowMember {
  step: RegistryStep
  role: 'entry' | 'step'
  displayFile: string
}

/** Every problem of the flow `name`, each naming the files and the field at fault. */
export function checkFlow(name: string, members: FlowMember[]): BuildIssue[] {
  const issues: BuildIssue[] = []
  const issue = (on: FlowMember[], field: string, message: string) =>
    issues.push({ files: on.map(member => member.displayFile), field, message })

  const entries = members.filter(member => member.role === 'entry')
  // Without an entry, a step that subscribes to nothing is most likely the entry its author meant.
  const unsubscribed = members.filter(member => member.role !== 'entry' && member.step.subscribes.length === 0)
  if (entries.length === 0) {
    const hint = unsubscribed.length === 1 ? ` (step '${unsubscribed[0]!.step.name}' subscribes to nothing: is it the entry?)` : ''
    issue(members, 'config.flow.role', `must be 'entry' in exactly one step of flow '${name}', but no step is${hint}`)
  }
  else if (entries.length > 1) {
    const names = entries.map(entry => `'${entry.step.name}'`).join(', ')
    issue(entries, 'config.flow.role', `must be 'entry' in exactly one step of flow '${name}', but ${entries.length} steps are (${names})`)
  }

  const byName = new Map<string, FlowMember[]>()
  for (const member of members) byName.set(member.step.name, [...(byName.get(member.step.name) ?? []), member])
  for (const [stepName, same] of byName) {
    if (same.length > 1) issue(same, 'config.flow.step', `'${stepName}' names ${same.length} steps of flow '${name}'; step names must be unique in a flow`)
  }

  const emitted = new Set(members.flatMap(member => member.step.emits))
  for (const member of members) {
    if (member.role === 'entry') continue
    if (member.step.subscribes.length === 0 && !(entries.length === 0 && unsubscribed.length === 1)) {
      issue([member], 'config.flow.subscribes', `must list at least one event: step '${member.step.name}' of flow '${name}' would never run`)
    }
    member.step.subscribes.forEach((event, index) => {
      if (!emitted.has(event)) issue([member], `config.flow.subscribes[${index}]`, `'${event}' is not emitted by any step of flow '${name}'`)
    })
  }

  for (const cycle of findCycles(members)) {
    const path = [...cycle, cycle[0]!].map(member => member.step.name).join(' → ')
    issue(cycle, 'config.flow.subscribes', `form a cycle in flow '${name}': ${path} (a step runs at most once per run)`)
  }
  return issues
}

/**
 * Finds cycles in the graph "A → B when B subscribes to an event A emits" with a depth-first search;
 * each back edge closes one cycle, reported once whatever step it is entered from.
 */
function findCycles(members: FlowMember[]): FlowMember[][] {
  const next = new Map<FlowMember, FlowMember[]>(members.map(from => [from, members.filter(to =>
    to.role !== 'entry' && to.step.subscribes.some(event => from.step.emits.includes(event)))]))
  const done = new Set<FlowMember>()
  const stack: FlowMember[] = []
  const cycles: FlowMember[][] = []
  const seen = new Set<string>()

  const visit = (member: FlowMember): void => {
    stack.push(member)
    for (const target of next.get(member) ?? []) {
      const onStack = stack.indexOf(target)
      if (onStack >= 0) {
        const cycle = stack.slice(onStack)
        const key = cycle.map(m => m.step.name).sort().join('\0')
        if (!seen.has(key)) {
          seen.add(key)
          cycles.push(cycle)
        }
      }
      else if (!done.has(target)) {
        visit(target)
      }
    }
    stack.pop()
    done.add(member)
  }
  for (const member of members) if (!done.has(member)) visit(member)
  return cycles
}
