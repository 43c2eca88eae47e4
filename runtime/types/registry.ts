/** The registry the module compiles from `server/functions` and hands to the runtime. */
import type { BackoffOptions } from '../contracts/queue'

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
}

export interface RegistryStep {
  name: string
  functionId: string
  queue: string
  subscribes: string[]
  emits: string[]
  stepTimeout?: number
}

export interface RegistryFlow {
  name: string
  entry: string
  steps: Record<string, RegistryStep>
}

export interface Registry {
  functions: Record<string, RegistryFunction>
  flows: Record<string, RegistryFlow>
}
