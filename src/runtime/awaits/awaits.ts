/** `useNvent().awaits`: the runs paused on an await, and resolving or rejecting them by hand. */
import type { Job } from '../contracts/queue'
import type { AwaitApi, AwaitInfo } from '../types/await'
import type { NventContext } from '../engine/nvent-context'
import { openAwaitOf } from '../engine/await-transitions'
import type { FlowApi } from '../types/flow'
import { checkedInput } from '../json-limits'
import { endAwaitAndSettle, resettleAwait } from './end'
import { awaitInfo } from './info'
import type { TimerJobData } from './timers'

function hasAwaits(context: NventContext, flowName: string): boolean {
  return Object.values(context.registry.flows[flowName]?.steps ?? {}).some(step => step.awaitBefore || step.awaitAfter)
}

export function createAwaitApi(context: NventContext, flows: FlowApi): AwaitApi {
  async function end(runId: string, step: string, ending: Parameters<typeof endAwaitAndSettle>[4]): Promise<boolean> {
    const run = await context.adapters.store.getRun(runId)
    const open = run && openAwaitOf(run, step)
    return Boolean(open && await endAwaitAndSettle(context, runId, step, open.phase, ending))
  }
  return {
    async list(flowName) {
      const names = flowName ? [flowName] : Object.keys(context.registry.flows).filter(name => hasAwaits(context, name))
      const open: AwaitInfo[] = []
      for (const name of names) {
        for (const run of await flows.getRunningFlows(name)) {
          for (const step of Object.keys(run.steps)) {
            const opened = openAwaitOf(run, step)
            if (opened)
              open.push(await awaitInfo(context, run, step, opened))
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
export async function runTimerJob(context: NventContext, job: Job<TimerJobData>): Promise<void> {
  const { kind, runId, step, phase } = job.data
  if (kind === 'resume') {
    if (!await endAwaitAndSettle(context, runId, step, phase, { outcome: 'resolved' }))
      await resettleAwait(context, runId, step)
    return
  }
  const run = await context.adapters.store.getRun(runId)
  const open = run && openAwaitOf(run, step, phase)
  if (!open || open.deadline === undefined)
    return resettleAwait(context, runId, step)
  const failure = open.timeoutAction === 'continue' ? undefined : `await timed out after ${open.deadline - open.registeredAt} ms`
  await endAwaitAndSettle(context, runId, step, phase, { outcome: 'timeout', ...(failure && { failure }) })
}
