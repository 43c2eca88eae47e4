/** Builds the `ctx` a handler receives. */
import { consola } from 'consola'
import type { Job } from '../contracts/queue'
import type { LogLevel, RunContext } from '../types/context'
import type { RunEventInput } from '../types/run'
import type { NventContext } from './nvent-context'
import type { FlowApi } from '../types/flow'
import { addChild } from './child-runs'
import { coalesceProgress, progressReport } from './progress'
import { derivedRunId } from './run-id'
import { logLine, recordEvents, redact } from './run-log'
import type { EmittedEvent } from './transitions'

export interface StepScope {
  runId: string
  flowName: string
  step: string
  /** Events the step declared in `emits`. */
  emits: string[]
  /** `ctx.trigger`. */
  trigger?: unknown
}

export interface HandlerContext {
  ctx: RunContext
  /** Emits buffered until the step commits. */
  emitted: EmittedEvent[]
  /**
   * Takes a pending progress report and waits for the step's events still being written; resolves with
   * those not written yet, which the step's outcome commits ahead of its own events.
   */
  settle(): Promise<RunEventInput[]>
}

const logger = consola.withTag('nvent')

/** How long a step's log, state and progress events may wait to share a write (see `buffer`). */
export const LIVE_DELAY = 50

/** The state scope of a plain function's job, which has no run. */
export function plainJobScope(job: Job): string {
  return `job:${job.queue}:${job.id}`
}

export function createHandlerContext(context: NventContext, flows: FlowApi, job: Job, signal: AbortSignal, scope?: StepScope): HandlerContext {
  const { store } = context.adapters
  const attempt = job.attemptsMade + 1
  const emitted: EmittedEvent[] = []
  const pending = new Set<Promise<unknown>>()
  const stateScope = scope?.runId ?? plainJobScope(job)
  const { cleanup, ttl: cleanupTtl } = context.options.store.state
  let childRuns = 0

  function track(promise: Promise<unknown>) {
    const settled = promise.catch(error => logger.warn('nvent could not record an event:', error)).finally(() => pending.delete(settled))
    pending.add(settled)
  }
  // Where this step's events go in its run's log; a plain function has no run.
  const origin = scope && { runId: scope.runId, flowName: scope.flowName, step: scope.step, attempt }
  // A step's log, state and progress events wait here up to LIVE_DELAY, so those of a quick step go
  // into its outcome's commit instead of a write each; a slow step's still show within that delay.
  const buffered: RunEventInput[] = []
  let appendTimer: ReturnType<typeof setTimeout> | undefined
  /** Takes the buffered events, and stops the timer that would have appended them. */
  function takeBuffered(): RunEventInput[] {
    clearTimeout(appendTimer)
    appendTimer = undefined
    return buffered.splice(0)
  }
  function buffer(event: RunEventInput | undefined) {
    if (!event)
      return
    buffered.push(event)
    // Only a step's events are buffered, so `origin` is there.
    appendTimer ??= setTimeout(() => track(recordEvents(context, origin!.runId, takeBuffered())), LIVE_DELAY)
  }
  function record(type: RunEventInput['type'], data: unknown) {
    if (origin)
      buffer({ ...origin, type, data })
  }
  // Like a log line, a progress message may quote an await URL.
  const progress = coalesceProgress(report => record('step.progress', redact(context, report)))

  const ctx: RunContext = {
    jobId: job.id,
    queue: job.queue,
    runId: scope?.runId,
    flowId: scope?.runId,
    flowName: scope?.flowName,
    stepName: scope?.step,
    attempt,
    signal,
    trigger: scope?.trigger,
    logger: {
      log(level: LogLevel, message: string, meta?: Record<string, unknown>) {
        buffer(logLine(context, scope ? `${scope.flowName}/${scope.step}` : job.name, { level, message, meta }, origin))
      },
    },
    progress(percent, message) {
      const report = progressReport(percent, message)
      // A plain function has no run to report to.
      if (origin)
        progress.report(report)
    },
    state: {
      get: key => store.stateGet(stateScope, key),
      async set(key, value, options) {
        const ttl = options?.ttl ?? (cleanup === 'ttl' ? cleanupTtl : undefined)
        await store.stateSet(stateScope, key, value, { ttl })
        record('state', { op: 'set', key, ttl })
      },
      async delete(key) {
        await store.stateDelete(stateScope, key)
        record('state', { op: 'delete', key })
      },
    },
    flow: {
      async emit(name, data) {
        if (!scope)
          throw new Error(`ctx.flow.emit("${name}") called from "${job.name}", which is not a flow step`)
        if (!scope.emits.includes(name))
          throw new Error(`step "${scope.step}" of flow "${scope.flowName}" emitted "${name}", which is not in its config's flow.emits [${scope.emits.join(', ')}]`)
        emitted.push({ name, data })
      },
      // Child run ids derive from the caller and the call's order, so a retried or redelivered step gets
      // back the runs its earlier attempts started instead of starting them again.
      async startFlow(name, input) {
        const started = await flows.start(name, input, { parentRunId: scope?.runId, runId: derivedRunId(`child\0${stateScope}\0${scope?.step ?? ''}\0${name}\0${childRuns++}`) })
        if (scope)
          await store.updateRun(scope.runId, run => addChild(run, { runId: started.runId, flowName: name, step: scope.step }, Date.now()))
        return started
      },
      cancelFlow: async (_name, runId) => flows.cancel(runId),
      isRunning: (name, runId) => flows.isRunning(name, runId),
      getRunningFlows: name => flows.getRunningFlows(name),
    },
  }

  return {
    ctx,
    emitted,
    async settle() {
      progress.flush()
      const logged = takeBuffered()
      while (pending.size)
        await Promise.all([...pending])
      return logged
    },
  }
}
