/** Builds the `ctx` a handler receives. */
import { consola } from 'consola'
import type { Job } from '../contracts/queue'
import type { LogLevel, RunContext } from '../types/context'
import type { RunEventInput } from '../types/run'
import type { Engine } from './engine'
import type { FlowApi } from './flows'
import { printLog, recordEvents } from './run-log'
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
  /** Waits for log and state events still being written, so they precede the step's completion. */
  flush(): Promise<void>
}

const logger = consola.withTag('nvent')

export function createHandlerContext(engine: Engine, flows: FlowApi, job: Job, signal: AbortSignal, scope?: StepScope): HandlerContext {
  const { store } = engine.adapters
  const attempt = job.attemptsMade + 1
  const emitted: EmittedEvent[] = []
  const pending = new Set<Promise<unknown>>()
  const statePrefix = scope ? `state:${scope.runId}:` : `state:job:${job.queue}:${job.id}:`

  function track(promise: Promise<unknown>) {
    const settled = promise.catch(error => logger.warn('nvent could not record an event:', error)).finally(() => pending.delete(settled))
    pending.add(settled)
  }
  function record(type: RunEventInput['type'], data: unknown) {
    if (!scope)
      return
    track(recordEvents(engine, scope.runId, [{ type, runId: scope.runId, flowName: scope.flowName, step: scope.step, attempt, data }]))
  }

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
        printLog(scope ? `${scope.flowName}/${scope.step}` : job.name, level, message, meta)
        record('log', { level, message, meta })
      },
    },
    state: {
      get: key => store.kvGet(statePrefix + key),
      async set(key, value, options) {
        await store.kvSet(statePrefix + key, value, options)
        record('state', { op: 'set', key, ttl: options?.ttl })
      },
      async delete(key) {
        await store.kvDelete(statePrefix + key)
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
      startFlow: (name, input) => flows.start(name, input, { parentRunId: scope?.runId }),
      cancelFlow: async (_name, runId) => flows.cancel(runId),
      isRunning: (name, runId) => flows.isRunning(name, runId),
      getRunningFlows: name => flows.getRunningFlows(name),
    },
  }

  return {
    ctx,
    emitted,
    async flush() {
      while (pending.size)
        await Promise.all([...pending])
    },
  }
}
