/** Awaits: a flow step pausing, before it runs or after it completes, for time, a webhook or an event. */
import type { LogLevel } from './context'

export type AwaitType = 'time' | 'webhook' | 'event'

/** `flow.awaitBefore` / `flow.awaitAfter` in a function config. */
export interface AwaitConfig {
  type: AwaitType
  /** `time`: milliseconds to wait. */
  delay?: number
  /** `time`: wait until this ISO-8601 instant instead. */
  until?: string
  /** `webhook`: the HTTP method the await URL answers. @default 'POST' */
  method?: 'POST' | 'GET' | 'PUT'
  /** `event`: the event that resolves the await. */
  event?: string
  /**
   * `event`: a key of the run's input. The await resolves only on an event whose data has the same value
   * at that key, so one event resolves only the runs it belongs to. @default any event of that name
   */
  match?: string
  /** `webhook`, `event`: milliseconds to wait before `timeoutAction`. @default no timeout */
  timeout?: number
  /** `fail` fails the step and the run; `continue` goes on without a payload. @default 'fail' */
  timeoutAction?: 'fail' | 'continue'
}

export type AwaitPhase = 'before' | 'after'

/** What the hooks receive about an await. */
export interface AwaitInfo {
  runId: string
  flowName: string
  step: string
  phase: AwaitPhase
  type: AwaitType
  registeredAt: number
  /** `time`: when it resumes. */
  resumeAt?: number
  /** `webhook`, `event`: when it times out. */
  deadline?: number
  /** `webhook`: the URL that resolves it. */
  url?: string
  /** `event`: the event name and the value it must carry. */
  event?: string
  matchValue?: unknown
}

/** The `ctx` of await hooks. */
export interface AwaitHookContext {
  runId: string
  flowName: string
  step: string
  logger: { log(level: LogLevel, message: string, meta?: Record<string, unknown>): void }
}

export type AwaitRegisterHook = (url: string | undefined, info: AwaitInfo, ctx: AwaitHookContext) => void | Promise<void>
export type AwaitResolveHook = (payload: unknown, info: AwaitInfo, ctx: AwaitHookContext) => void | Promise<void>
export type AwaitTimeoutHook = (info: AwaitInfo, ctx: AwaitHookContext) => void | Promise<void>

/** Hooks a function file may export next to its handler, by export name. */
export interface AwaitHooks {
  onAwaitRegister?: AwaitRegisterHook
  onAwaitResolve?: AwaitResolveHook
  onAwaitTimeout?: AwaitTimeoutHook
}

export const AWAIT_HOOK_NAMES = ['onAwaitRegister', 'onAwaitResolve', 'onAwaitTimeout'] as const

/** `export const onAwaitRegister = defineAwaitRegisterHook(...)`: called once an await is registered (a webhook's URL is ready). */
export function defineAwaitRegisterHook(hook: AwaitRegisterHook): AwaitRegisterHook {
  return hook
}

/** `export const onAwaitResolve = defineAwaitResolveHook(...)`: called when an await resolves. */
export function defineAwaitResolveHook(hook: AwaitResolveHook): AwaitResolveHook {
  return hook
}

/** `export const onAwaitTimeout = defineAwaitTimeoutHook(...)`: called when an await times out. */
export function defineAwaitTimeoutHook(hook: AwaitTimeoutHook): AwaitTimeoutHook {
  return hook
}

/** Names one await: the run, the step and whether it waits before or after the step. */
export interface AwaitRef {
  runId: string
  step: string
  phase: AwaitPhase
}

export interface EventAwaitRef extends AwaitRef {
  matchKey?: string
  matchValue?: unknown
}

/** `useNvent().awaits`: the runs paused on an await, and resolving or rejecting them by hand. */
export interface AwaitApi {
  /** Open awaits, of one flow or of every flow that has awaits. A webhook await's `url` resolves it: treat it as a secret. */
  list(flowName?: string): Promise<AwaitInfo[]>
  /** Resolves the step's open await with `payload` (`ctx.trigger` of a step that awaited before running). */
  resolve(runId: string, step: string, payload?: unknown): Promise<boolean>
  /** Rejects it: the step and the run fail with `reason`. */
  reject(runId: string, step: string, reason?: string): Promise<boolean>
}
