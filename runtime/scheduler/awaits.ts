/** `useNvent().awaits`: the runs paused on an await, and resolving or rejecting them by hand. */
import type { Job } from '../contracts/queue'
import type { AwaitInfo } from '../types/await'
import type { Engine } from '../engine/engine'
import { openAwaitOf } from '../engine/await-transitions'
import type { FlowApi } from '../engine/flows'
import { checkedInput } from '../json-limits'
import { endAwaitAndSettle, resettleAwait } from './await-end'
import { awaitInfo } from './await-register'
import type { TimerJobData } from './timers'

export interface AwaitApi {
  /** Open awaits, of one flow or of every flow that has awaits. A webhook await's `url` resolves it: treat it as a secret. */
  list(flowName?: string): Promise<AwaitInfo[]>
  /** Resolves the step's open await with `payload` (`ctx.trigger` of a step that awaited before running). */
  resolve(runId: string, step: string, payload?: unknown): Promise<boolean>
  /** Rejects it: the step and the run fail with `reason`. */
  reject(runId: string, step: string, reason?: string): Promise<boolean>
}

function hasAwaits(engine: Engine, flowName: string): boolean {
  return Object.values(engine.registry.flows[flowName]?.steps ?? {}).some(step => step.awaitBefore || step.awaitAfter)
}

export function createAwaitApi(engine: Engine, flows: FlowApi): AwaitApi {
  async function end(runId: string, step: string, ending: Parameters<typeof endAwaitAndSettle>[4]): Promise<boolean> {
    const run = await engine.adapters.store.getRun(runId)
    const open = run && openAwaitOf(run, step)
    return Boolean(open && await endAwaitAndSettle(engine, runId, step, open.phase, ending))
  }
  return {
    async list(flowName) {
      const names = flowName ? [flowName] : Object.keys(engine.registry.flows).filter(name => hasAwaits(engine, name))
      const open: AwaitInfo[] = []
      for (const name of names) {
        for (const run of await flows.getRunningFlows(name)) {
          for (const step of Object.keys(run.steps)) {
            const opened = openAwaitOf(run, step)
            if (opened)
              open.push(await awaitInfo(engine, run, step, opened))
          }
        }
      }
      return open
    },
    resolve: async (runId, step, payload) => end(runId, step, { outcome: 'resolved', payload: checkedInput(payload ?? null, `the payload resolving step "${step}"`) }),
    reject: (runId, step, reason) => end(runId, step, { outcome: 'rejected', failure: `await rejected${reason ? `: ${reason}` : ''}` }),
  }
}

/** A due timer: a time await resumes; a webhook or event await still open applies its `timeoutAction`. */
export async function runTimerJob(engine: Engine, job: Job<TimerJobData>): Promise<void> {
  const { kind, runId, step, phase } = job.data
  if (kind === 'resume') {
    if (!await endAwaitAndSettle(engine, runId, step, phase, { outcome: 'resolved' }))
      await resettleAwait(engine, runId, step)
    return
  }
  const run = await engine.adapters.store.getRun(runId)
  const open = run && openAwaitOf(run, step, phase)
  if (!open || open.deadline === undefined)
    return resettleAwait(engine, runId, step)
  const failure = open.timeoutAction === 'continue' ? undefined : `await timed out after ${open.deadline - open.registeredAt} ms`
  await endAwaitAndSettle(engine, runId, step, phase, { outcome: 'timeout', ...(failure && { failure }) })
}
