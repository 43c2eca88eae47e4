/**
 * Jobs whose worker died (a crash, a SIGKILL, a lost host) run again on another worker. Every server
 * backend does it with its own machinery (BullMQ's job locks and stalled-job check, pg-boss's expiry and
 * retries), sized from one setting, `queue.worker.crashRecovery`: the longest a cut-off job waits.
 */

/** @see NventOptions `queue.worker.crashRecovery` */
export const DEFAULT_CRASH_RECOVERY = 60_000

/**
 * Times a job may be cut off by a dying worker and run again; the next time it fails. A job that kills
 * its worker every time (say, by exhausting memory) must not take down one instance after another forever.
 */
export const CRASH_REDELIVERIES = 3

/**
 * How long a running job's hold lasts without renewal. Another worker notices a lapsed hold within about
 * as long again, so half the recovery time bounds the whole. Live workers renew well within it.
 */
export function leaseMs(crashRecovery: number): number {
  return Math.max(1_000, Math.floor(crashRecovery / 2))
}
