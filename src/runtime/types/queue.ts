/** The queue half of the public API (`useNvent().queue`). */
import type { QueueAdapter } from '../contracts/queue'

/**
 * The adapter's job API, except that `enqueue` checks that the queue has the function `job.name` and
 * applies its retry config unless `opts` say otherwise, and that `retryJob` refuses a flow step's job
 * (409): a failed step is retried by rerunning its run from the failed step (`flow.rerun`).
 */
export type QueueApi = Omit<QueueAdapter, 'process' | 'close'> & {
  /** Every queue the registry's functions use. */
  names(): string[]
}
