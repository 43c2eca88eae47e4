/**
 * The one seam between the memory and the file backends. Adapters change their state only by committing
 * ops (small, deterministic changes); an op log decides what happens to an op besides being applied:
 * nothing in memory, an fsynced journal line for the file backend.
 */
import { consola } from 'consola'

/** State that changes only through ops, so that replaying the same ops rebuilds the same state. */
export interface OpBook<Op> {
  apply(op: Op): void
}

export interface OpLog<Op> {
  /**
   * Records `op` just before it is applied. Throws synchronously when the op cannot be recorded (then it
   * is not applied either); the promise resolves once the op is durable.
   */
  record(op: Op): Promise<void>
  /** Resolves once every op recorded so far is durable. */
  settled(): Promise<void>
  close(): Promise<void>
}

/** The memory backend's log: ops live only as their effect on the state. */
export function volatileLog<Op>(): OpLog<Op> {
  const done = Promise.resolve()
  return { record: () => done, settled: () => done, close: () => done }
}

/**
 * Returns the one function through which an adapter changes its state: record, then apply, both in the
 * same synchronous step, so the log's order is the order the state saw.
 */
export function committer<Op>(book: OpBook<Op>, log: OpLog<Op>): (op: Op) => Promise<void> {
  return (op) => {
    const durable = log.record(op)
    book.apply(op)
    return durable
  }
}

/**
 * Commits an op nobody awaits (a job start, a timer's promotion). A log that refuses or fails to write
 * it is reported on the console rather than thrown at a timer. Returns false when the op was refused.
 */
export function commitInBackground<Op>(commit: (op: Op) => Promise<void>, op: Op): boolean {
  try {
    commit(op).catch(reportLogFailure)
    return true
  }
  catch (error) {
    reportLogFailure(error)
    return false
  }
}

/** For the durability promise of an op nobody awaits: a failed write must still be seen. */
export function reportLogFailure(error: unknown) {
  consola.withTag('nvent').error('could not persist a change:', error)
}
