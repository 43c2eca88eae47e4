/** What a backend's conformance file provides: how to make fresh adapters and how to clean up after. */
import type { QueueAdapter } from '../../src/runtime/contracts/queue'
import type { StoreAdapter, StoreLimits } from '../../src/runtime/contracts/store'
import type { StreamAdapter } from '../../src/runtime/contracts/stream'

export interface Adapters {
  queue: QueueAdapter
  store: StoreAdapter
  stream: StreamAdapter
}

/** What a test may ask of the adapters it creates; a restart or another instance keeps them. */
export interface AdapterOptions extends StoreLimits {
  /** @see NventOptions `queue.worker.crashRecovery` */
  crashRecovery?: number
}

export interface Backend {
  name: string
  /** Why this backend's suites are skipped (its server is unreachable outside CI); absent to run them. */
  skip?: string
  /** Fresh, isolated adapters (own prefix, schema or data dir). Each call is independent. */
  create(options?: AdapterOptions): Promise<Adapters>
  /**
   * For backends that persist: closes `adapters` and opens new ones on the same data, as a restart
   * would. Absent for memory.
   */
  reopen?(adapters: Adapters): Promise<Adapters>
  /**
   * For backends many instances share: opens a second set of adapters on the same data, as another
   * instance would. Absent for memory and file (one process each).
   */
  attach?(adapters: Adapters): Promise<Adapters>
}
