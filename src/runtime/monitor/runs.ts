/** Runs: pages of summaries across flows, and one run in detail with its steps, parent and children. */
import type { RunQuery } from '../contracts/store'
import { stepInput } from '../engine/graph'
import type { RunDetail, RunSummary, RunSummaryPage, StepDetail } from '../types/monitor'
import type { RunRecord } from '../types/run'
import type { MonitorDeps } from './deps'
import { stringArg } from './deps'
import { latestProgress } from './run-events'

export function summarize(run: RunRecord): RunSummary {
  const steps: RunSummary['steps'] = {}
  for (const step of Object.values(run.steps))
    steps[step.status] = (steps[step.status] ?? 0) + 1
  return {
    id: run.id,
    flowName: run.flowName,
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    steps,
    ...(run.finishedAt !== undefined && { finishedAt: run.finishedAt }),
    ...(run.error !== undefined && { error: run.error }),
    ...(run.parentRunId && { parentRunId: run.parentRunId }),
    ...(run.rerunOf && { rerunOf: run.rerunOf }),
    ...(run.trigger && { trigger: { name: run.trigger.name, type: run.trigger.type } }),
  }
}

export async function runs({ context }: MonitorDeps, query: RunQuery = {}): Promise<RunSummaryPage> {
  const page = await context.adapters.store.listRuns(query)
  return { ...page, items: page.items.map(summarize) }
}

export async function runDetail(deps: MonitorDeps, runId: string): Promise<RunDetail | null> {
  const { store } = deps.context.adapters
  const run = await store.getRun(stringArg('runId', runId))
  if (!run)
    return null
  const running = Object.entries(run.steps).filter(([, step]) => step.status === 'running').map(([name]) => name)
  const [parent, children, progress] = await Promise.all([
    run.parentRunId ? store.getRun(run.parentRunId) : null,
    Promise.all((run.children ?? []).map(child => store.getRun(child.runId))),
    running.length > 0 ? latestProgress(deps, run.id, running) : new Map(),
  ])
  return {
    run,
    steps: stepDetails(deps, run, progress),
    ...(parent && { parent: summarize(parent) }),
    children: children.filter(child => child !== null).map(summarize),
  }
}

function stepDetails({ context }: MonitorDeps, run: RunRecord, progress: Map<string, StepDetail['progress']>): StepDetail[] {
  const flow = context.registry.flows[run.flowName]
  const now = Date.now()
  return Object.entries(run.steps)
    .sort(([, a], [, b]) => a.queuedAt - b.queuedAt)
    .map(([name, step]) => ({
      name,
      ...step,
      // A step the build no longer has: its input cannot be told, since its subscribes are gone.
      ...(flow?.steps[name] && { input: stepInput(flow, name, run) }),
      ...(step.startedAt !== undefined && { duration: (step.finishedAt ?? (step.status === 'running' ? now : step.startedAt)) - step.startedAt }),
      ...(progress.has(name) && { progress: progress.get(name) }),
    }))
}
