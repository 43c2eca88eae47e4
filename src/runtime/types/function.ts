/** What a user writes in `server/functions/**`: the handler and its config. */
import type { BackoffOptions } from '../contracts/queue'
import type { AwaitConfig } from './await'
import type { RunContext } from './context'
import type { FlowTriggersConfig } from './trigger'

export interface FlowStepConfig {
  /** The flow this step belongs to. */
  name: string
  /** `entry` starts the flow (exactly one per flow); `step` runs when its `subscribes` are all emitted. */
  role: 'entry' | 'step'
  /** The step's name, unique in the flow. @default the function's name */
  step?: string
  /** Events this step may emit with `ctx.flow.emit`. @default [] */
  emits?: string[]
  /** Events that must all be emitted in the run before this step runs (fan-in). Ignored for the entry. @default [] */
  subscribes?: string[]
  /** Milliseconds an attempt may run before it fails and `ctx.signal` aborts. @default no limit */
  stepTimeout?: number
  /** Triggers that start the flow (entry only). @default none */
  triggers?: FlowTriggersConfig
  /** Pause before the step runs; the resolving payload is `ctx.trigger`. @default none */
  awaitBefore?: AwaitConfig
  /** Pause after the step completes; its emits take effect when the await resolves. @default none */
  awaitAfter?: AwaitConfig
}

export interface FunctionConfig {
  queue?: {
    /** The queue the function's jobs go to; functions may share one. @default the function's name */
    name?: string
    /** At most `max` jobs of the queue start per `duration` ms, across all instances. @default no limit */
    limiter?: { max: number, duration: number }
  }
  worker?: {
    /** Jobs of this function's queue run at once per instance. @default `nvent.queue.worker.concurrency` */
    concurrency?: number
  }
  retry?: {
    /** Total attempts, the first included. @default 1 */
    attempts?: number
    /** Wait between attempts. @default immediate */
    backoff?: BackoffOptions
  }
  /** Makes the function a step of a flow. */
  flow?: FlowStepConfig
}

export type FunctionHandler<I = any, O = unknown> = (input: I, ctx: RunContext) => O | Promise<O>

/** Declares a background function or a flow step. */
export function defineFunction<I = any, O = unknown>(handler: FunctionHandler<I, O>): FunctionHandler<I, O> {
  return handler
}

/** Declares a function's config. It is read at build time, so it must be a static object. */
export function defineFunctionConfig(config: FunctionConfig): FunctionConfig {
  return config
}
