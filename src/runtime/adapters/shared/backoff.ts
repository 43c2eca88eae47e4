import type { BackoffOptions } from '../../contracts/queue'

/** Milliseconds to wait after the `attempt`-th attempt failed (attempts count from 1). */
export function backoffDelay(backoff: BackoffOptions | undefined, attempt: number): number {
  if (!backoff)
    return 0
  return backoff.type === 'fixed' ? backoff.delay : backoff.delay * 2 ** (attempt - 1)
}
