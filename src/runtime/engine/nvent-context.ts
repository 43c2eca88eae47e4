/** What every part of the engine shares: the registry, the handlers, the adapters and the options. */
import type { QueueAdapter } from '../contracts/queue'
import type { StoreAdapter } from '../contracts/store'
import type { StreamAdapter } from '../contracts/stream'
import type { TriggerBook } from '../triggers/trigger-book'
import type { AwaitHooks } from '../types/await'
import type { FunctionHandler } from '../types/function'
import type { ResolvedNventOptions } from '../types/options'
import type { Registry } from '../types/registry'
import type { RunEvent, RunRecord } from '../types/run'
import type { EventPublisher } from './event-publisher'
import type { RunningHandlers } from './running-handlers'

export interface Adapters {
  queue: QueueAdapter
  store: StoreAdapter
  stream: StreamAdapter
}

/** Secrets given at runtime (Nuxt runtime config), never kept in the store. */
export interface NventSecrets {
  /**
   * Key of webhook await tokens, at least 32 characters. Without it, tokens are keyed by a secret the
   * store keeps (`await:secret`), so anyone who can read the store can make them.
   * @default none: the secret the store keeps
   */
  await?: string
}

export interface NventContext {
  registry: Registry
  handlers: Record<string, FunctionHandler>
  /** Await hooks exported by function files, by function id. */
  hooks: Record<string, AwaitHooks>
  adapters: Adapters
  options: ResolvedNventOptions
  /** Secrets given at runtime; `{}` when none was. */
  secrets: NventSecrets
  /** Identifies this process in claims (stall sweep). */
  instanceId: string
  /** Handlers of this instance that are running, by run, so cancel can abort them. */
  running: RunningHandlers
  /** Sends committed run events to the stream, in order, without holding up the engine. */
  publisher: EventPublisher
  /** Every trigger, compiled and registered at runtime. */
  triggerBook: TriggerBook
  /** What the awaits and events domains do after the engine commits; installed by `createNvent`. */
  effects: EngineEffects
}

/**
 * The engine's calls into the domains built on it. The domains import the engine; the engine reaches
 * them only through these, so dependencies point one way.
 */
export interface EngineEffects {
  /** Makes an open await findable and its timers durable; `hook: false` skips `onAwaitRegister` (repairs). */
  registerAwait(run: RunRecord, step: string, options: { hook: boolean }): Promise<void>
  /** Drops the index entries of the open awaits of a run that ended. */
  releaseAwaits(run: RunRecord): Promise<void>
  /** Delivers a completed step's committed emits as events (event triggers, event awaits). */
  deliverEmits(run: RunRecord, step: string): Promise<void>
}

/** The stream topic every run event is published on; live views and cancel listeners subscribe to it. */
export const EVENTS_TOPIC = 'events'

/**
 * Queues committed events for live views (see `EventPublisher`): they are published in commit order, and
 * the caller goes on at once. The log already holds them, so a failed publish loses nothing.
 */
export function publishEvents(context: NventContext, events: RunEvent[]): void {
  context.publisher.publish(events)
}

/** The flows of this build and those the store still has runs of (a deploy removed them): what sweeps look after. */
export async function everyFlow(context: NventContext): Promise<string[]> {
  return [...new Set([...Object.keys(context.registry.flows), ...await context.adapters.store.listFlows()])]
}
