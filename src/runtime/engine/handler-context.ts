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
import { recordEvents, redact, writeLog } from './run-log'
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
   * Writes a pending progress report and waits for log, progress and state events still being written, so
   * they precede the step's completion.
   */
  flush(): Promise<void>
}

const logger = consola.withTag('nvent')

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
  function record(type: RunEventInput['type'], data: unknown) {
    if (origin)
      track(recordEvents(context, origin.runId, [{ ...origin, type, data }]))
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
        track(writeLog(context, scope ? `${scope.flowName}/${scope.step}` : job.name, { level, message, meta }, origin))
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
    async flush() {
      progress.flush()
      while (pending.size)
        await Promise.all([...pending])
    },
  }
}
