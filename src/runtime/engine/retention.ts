/**
 * Retention: every `store.retention.interval`, one instance (the one that claims the pass) has the store
 * remove each flow's finished runs beyond what `store.retention` keeps, with their event logs and state.
 * Flows the current build no longer has are pruned too, with the global limits: nothing else removes them.
 */
import type { RunRetention } from '../contracts/store'
import { everyIntervalOnce } from './claimed-interval'
import type { NventContext } from './nvent-context'
import { everyFlow } from './nvent-context'

const PRUNE_CLAIM = 'claim:retention'

/** What the store keeps of `flowName`'s finished runs: the flow's own limits where it has them. */
export function retentionOf(context: NventContext, flowName: string): RunRetention {
  const { completed, failed, flows } = context.options.store.retention
  const own: Partial<RunRetention> | undefined = flows[flowName]
  return { completed: own?.completed ?? completed, failed: own?.failed ?? failed }
}

/** Prunes every flow once; resolves how many runs were removed. */
export async function pruneFinishedRuns(context: NventContext): Promise<number> {
  let removed = 0
  for (const flowName of await everyFlow(context))
    removed += await context.adapters.store.pruneRuns(flowName, retentionOf(context, flowName))
  return removed
}

/** Prunes every `store.retention.interval`, on one instance at a time. */
export function startRetention(context: NventContext): () => void {
  return everyIntervalOnce(context, PRUNE_CLAIM, context.options.store.retention.interval, 'pruning finished runs', () => pruneFinishedRuns(context))
}
