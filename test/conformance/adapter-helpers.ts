/** Lifecycle and timing helpers shared by the adapter conformance suites. */
import { afterEach } from 'vitest'
import type { AdapterOptions, Adapters, Backend } from './backend'
import { sleep } from '../helpers/wait'

export { sleep, waitFor } from '../helpers/wait'

/** Opens adapters of `backend` for one test and closes whatever is still open after it. */
export function useAdapters(backend: Backend) {
  let open: Adapters[] = []
  afterEach(async () => {
    const closing = open
    open = []
    await Promise.all(closing.map(closeAdapters))
  })
  return {
    async create(options?: AdapterOptions): Promise<Adapters> {
      const adapters = await backend.create(options)
      open.push(adapters)
      return adapters
    },
    /** Restarts on the same data; only for backends that persist. */
    async reopen(adapters: Adapters): Promise<Adapters> {
      open = open.filter(a => a !== adapters)
      const reopened = await backend.reopen!(adapters)
      open.push(reopened)
      return reopened
    },
    /** Another instance's adapters on the same data; only for backends many instances share. */
    async attach(adapters: Adapters): Promise<Adapters> {
      const attached = await backend.attach!(adapters)
      open.push(attached)
      return attached
    },
  }
}

export async function closeAdapters(adapters: Adapters) {
  await Promise.all([adapters.queue.close(), adapters.store.close(), adapters.stream.close()])
}

/** A promise the test opens by hand: holds a processor mid-job. */
export function gate() {
  let open!: () => void
  const opened = new Promise<void>(resolve => open = resolve)
  return { opened, open }
}

/**
 * Timers may fire a little early by this process's wall clock, and a server-side limiter (BullMQ) counts by
 * the server's clock: timing assertions allow a few milliseconds, far below the intervals they check.
 */
export const CLOCK_SLACK = 5
