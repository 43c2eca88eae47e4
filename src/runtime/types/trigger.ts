/** Triggers: what starts a flow from outside (a schedule, an HTTP call, a person, an event). */
import type { LogPage } from '../contracts/store'

export const TRIGGER_TYPES = ['time', 'webhook', 'manual', 'event'] as const

export type TriggerType = typeof TRIGGER_TYPES[number]

/** A trigger as a flow's config defines it (`flow.triggers.define`). */
export interface TriggerDefinition {
  /** Unique across the app; flows list it in `subscribe`. For an `event` trigger, the event's name. */
  name: string
  type: TriggerType
  /** `global` triggers may start many flows; `flow` ones belong to the flow that defines them. @default 'flow' */
  scope?: 'global' | 'flow'
  /** Label in DevTools. @default the name */
  displayName?: string
  description?: string
}

export interface TriggerSettings {
  /** `time` triggers: a cron expression (5 fields, or 6 with seconds first). */
  cron?: string
  /** `time` triggers: IANA time zone the cron expression is read in. @default the server's */
  timezone?: string
  /**
   * `webhook` triggers: the environment variable that holds the HMAC-SHA256 secret requests must be
   * signed with. @default no signature required
   */
  secretEnv?: string
}

/** `flow.triggers` in a function config: only the flow's entry may have it. */
export interface FlowTriggersConfig {
  /** A trigger this flow defines. */
  define?: TriggerDefinition
  /** Triggers that start this flow. @default [define.name] */
  subscribe?: readonly string[]
  /**
   * `auto`: every firing starts the flow. `manual`: only `useNvent().triggers.fire` (or DevTools) does;
   * schedules, webhooks and events leave this flow alone.
   * @default 'auto'
   */
  mode?: 'auto' | 'manual'
  /** Settings of the defined trigger. */
  config?: TriggerSettings
}

/** A flow a trigger starts. */
export interface TriggerSubscriber {
  flow: string
  mode: 'auto' | 'manual'
}

/** A trigger as the runtime knows it: from a config, or registered through `useNvent().triggers`. */
export interface TriggerRecord {
  name: string
  type: TriggerType
  scope: 'global' | 'flow'
  displayName: string
  description?: string
  config: TriggerSettings & {
    /** `webhook` triggers registered at runtime: the HMAC secret itself. Never listed. */
    secret?: string
  }
  enabled: boolean
  /** `config` for triggers compiled from function configs, `runtime` for registered ones. */
  source: 'config' | 'runtime'
  subscribers: TriggerSubscriber[]
}

/** What `useNvent().triggers.list()` returns per trigger. */
export interface TriggerInfo extends Omit<TriggerRecord, 'config'> {
  config: TriggerSettings & { hasSecret?: boolean }
  /** Next tick of an enabled schedule (ms since the epoch). */
  nextFireAt?: number
}

/** How a firing reached nvent. */
export type FiringSource = 'schedule' | 'webhook' | 'manual' | 'event'

/** One firing, as the history lists it and a triggered run's input carries it (`input.trigger`). */
export interface TriggerFiring {
  name: string
  type: TriggerType
  source: FiringSource
  data: unknown
  firedAt: number
  /** Runs the firing started. */
  runIds: string[]
}

/** A trigger registered at runtime. */
export interface TriggerRegistration extends TriggerDefinition {
  config?: TriggerSettings & { secret?: string }
  /** Flows it starts (in addition to any whose config subscribes to it). @default [] */
  flows?: string[]
  /** @default true */
  enabled?: boolean
}

/** What `triggers.update` may change. */
export type TriggerChanges = Partial<Pick<TriggerRegistration, 'displayName' | 'description' | 'config' | 'flows' | 'enabled'>>

/** `useNvent().triggers`: register, change, fire and list triggers, and page through their history. */
export interface TriggerApi {
  /** Every trigger, with the next tick of enabled schedules. */
  list(): Promise<TriggerInfo[]>
  get(name: string): Promise<TriggerInfo | null>
  /** Adds a trigger at runtime; every instance sees it. Its name follows the rule of trigger-name.ts. */
  register(trigger: TriggerRegistration): Promise<TriggerInfo>
  /**
   * Changes a trigger. For a config-defined one only the changes are kept in the store, over what the
   * config says, so later edits of the config still apply to what was not changed here.
   */
  update(name: string, changes: TriggerChanges): Promise<TriggerInfo>
  enable(name: string): Promise<TriggerInfo>
  disable(name: string): Promise<TriggerInfo>
  /** Removes a trigger registered at runtime; a config-defined one is removed from its config. */
  delete(name: string): Promise<void>
  /** Fires by hand: starts every subscribed flow, `manual`-mode ones included. */
  fire(name: string, data?: unknown): Promise<TriggerFiring>
  /** Firings, newest first. @default limit 50 */
  history(name: string, options?: { before?: string, limit?: number }): Promise<LogPage<TriggerFiring>>
}
