/** What a user writes in `server/functions/**`: the handler and its config. */
import type { BackoffOptions } from '../contracts/queue'
import type { AwaitConfig } from './await'
import type { RunContext } from './context'
import type { FlowTriggersConfig } from './trigger'
import type { TypedHandler } from './typed'

export interface FlowStepConfig {
  /** The flow this step belongs to. */
  name: string
  /** `entry` starts the flow (exactly one per flow); `step` runs when its `subscribes` are all emitted. */
  role: 'entry' | 'step'
  /** The step's name, unique in the flow. @default the function's name */
  step?: string
  /** Events this step may emit with `ctx.flow.emit`. @default [] */
  emits?: readonly string[]
  /** Events that must all be emitted in the run before this step runs (fan-in). Ignored for the entry. @default [] */
  subscribes?: readonly string[]
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

/**
 * Declares a background function or a flow step. Given the file's `config` first, the handler is typed
 * from the app's flows: a step's input by the events it subscribes to, `ctx.flow.emit` by its `emits`.
 */
export function defineFunction<I = any, O = unknown>(handler: FunctionHandler<I, O>): FunctionHandler<I, O>
export function defineFunction<const C extends FunctionConfig, I = any, O = unknown>(config: C, handler: TypedHandler<C, I, O>): FunctionHandler<I, O>
export function defineFunction(...args: [FunctionHandler] | [FunctionConfig, FunctionHandler]): FunctionHandler {
  // The config is read at build time from `export const config`; here it only gives the handler its types.
  return (args.length === 1 ? args[0] : args[1])
}

/** Declares a function's config. It is read at build time, so it must be a static object. */
export function defineFunctionConfig<const C extends FunctionConfig>(config: C): C {
  return config
}
