/** What every part of the engine shares: the registry, the handlers, the adapters and the options. */
import type { QueueAdapter } from '../contracts/queue'
import type { StoreAdapter } from '../contracts/store'
import type { StreamAdapter } from '../contracts/stream'
import type { TriggerBook } from '../scheduler/trigger-book'
import type { AwaitHooks } from '../types/await'
import type { FunctionHandler } from '../types/function'
import type { ResolvedNventOptions } from '../types/options'
import type { Registry } from '../types/registry'
import type { RunEvent } from '../types/run'
import type { ActiveSteps } from './active'

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

export interface Engine {
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
  active: ActiveSteps
  /** Every trigger, compiled and registered at runtime. */
  triggerBook: TriggerBook
}

/** The stream topic every run event is published on; live views and cancel listeners subscribe to it. */
export const EVENTS_TOPIC = 'events'

/** Publishes committed events for live views. The log already holds them, so a failed publish loses nothing. */
export async function publishEvents(engine: Engine, events: RunEvent[]): Promise<void> {
  for (const event of events) {
    await engine.adapters.stream.publish(EVENTS_TOPIC, event).catch(() => {})
  }
}
