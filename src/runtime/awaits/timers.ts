/**
 * Durable timers: an await's resume time and timeout are delayed jobs of one internal queue, so they
 * live in the backend and fire on whichever worker instance is up, after any restart.
 */
import type { AwaitPhase } from '../types/await'
import type { NventContext } from '../engine/nvent-context'

/** The internal queue of await timers. Worker instances consume it next to the functions' queues. */
export const TIMER_QUEUE = 'nvent.timers'

export interface TimerJobData {
  /** `resume` ends a time await; `timeout` applies a webhook or event await's `timeoutAction`. */
  kind: 'resume' | 'timeout'
  runId: string
  step: string
  phase: AwaitPhase
  /** When it is due. */
  at: number
}

/** Arms a timer; its id is deterministic, so arming the same await twice adds one job. */
export async function armTimer(context: NventContext, data: TimerJobData): Promise<void> {
  await context.adapters.queue.enqueue(TIMER_QUEUE, {
    name: `await.${data.kind}`,
    data,
    opts: {
      jobId: timerJobId(data),
      delay: Math.max(0, data.at - Date.now()),
      // About 17 minutes of retries ride out a backend outage; the stall sweep re-arms what outlasts them.
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
    },
  })
}

function timerJobId(data: TimerJobData): string {
  return `await.${data.kind}.${data.runId}.${encodeURIComponent(data.step)}.${data.phase}`
}
