/** The registry the module compiles from `server/functions` and hands to the runtime. */
import type { BackoffOptions } from '../contracts/queue'
import type { AwaitConfig } from './await'
import type { TriggerDefinition, TriggerSettings, TriggerSubscriber } from './trigger'

export interface RegistryFunction {
  /** Path under the functions dir without extension, e.g. `orders/charge`. Jobs name it. */
  id: string
  /** Absolute path of the source file. */
  file: string
  queue: string
  concurrency?: number
  limiter?: { max: number, duration: number }
  attempts: number
  backoff?: BackoffOptions
  flow?: { name: string, step: string }
  /** Await hooks the file exports (`onAwaitRegister`, ...). */
  hooks?: string[]
  /** The file exports its events' payloads as a type `Emits` (read by the generated flow types only). */
  emitsType?: true
}

export interface RegistryStep {
  name: string
  functionId: string
  queue: string
  subscribes: string[]
  emits: string[]
  stepTimeout?: number
  awaitBefore?: AwaitConfig
  awaitAfter?: AwaitConfig
}

export interface RegistryFlow {
  name: string
  entry: string
  steps: Record<string, RegistryStep>
}

/** A trigger defined in a function config. */
export interface RegistryTrigger extends Required<Pick<TriggerDefinition, 'name' | 'type' | 'scope' | 'displayName'>> {
  description?: string
  /** The file that defines it, for messages. */
  definedIn: string
  config: TriggerSettings
}

export interface Registry {
  functions: Record<string, RegistryFunction>
  flows: Record<string, RegistryFlow>
  /** Triggers defined in function configs, by name. */
  triggers: Record<string, RegistryTrigger>
  /** Trigger name → flows whose config subscribes to it; the name may be one registered only at runtime. */
  subscriptions: Record<string, TriggerSubscriber[]>
}
