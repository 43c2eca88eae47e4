/**
 * Argument rules for the store's named logs and event pages, shared so every backend refuses the same
 * inputs with the same words instead of each doing something different with a zero or a fraction.
 */
import { DEFAULT_EVENTS_PER_RUN } from '../../contracts/store'
import { NventError } from '../../errors'
import { quoteCursor } from './cursor'

const DEFAULT_LIMIT = 50

/** Ids that are a zero-padded sequence number (memory, file and PostgreSQL events); 15 digits stay exact as a number. */
export const SEQUENCE_ID = /^\d{1,15}$/

/** A store's `eventsPerRun` (default when absent), or a RangeError naming the value: a run's log keeps at least its newest event. */
export function eventsCap(eventsPerRun = DEFAULT_EVENTS_PER_RUN): number {
  if (!Number.isSafeInteger(eventsPerRun) || eventsPerRun < 1)
    throw new RangeError(`nvent: a store's eventsPerRun must be a positive integer, got ${eventsPerRun}`)
  return eventsPerRun
}

/** A log must keep at least the entry just appended; anything else would make `logAppend` lose its own entry. */
export function assertMaxLength(maxLength: number) {
  if (!Number.isSafeInteger(maxLength) || maxLength < 1)
    throw new RangeError(`nvent: a log's maxLength must be a positive integer, got ${maxLength}`)
}

/** The page size `logRead` asked for, or its default. */
export function logLimit(limit: number | undefined): number {
  if (limit === undefined)
    return DEFAULT_LIMIT
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new NventError(`nvent: a log page's limit must be a positive integer, got ${limit}`, 400)
  return limit
}

/** `before` that matches `pattern` (the backend's id format), else a refusal (400) rather than a wrong page. */
export function logCursor(before: string | undefined, pattern: RegExp): string | undefined {
  if (before !== undefined && (typeof before !== 'string' || !pattern.test(before)))
    throw new NventError(`nvent: invalid log cursor ${quoteCursor(before)}: pass the cursor of the previous page as it came`, 400)
  return before
}

/** `after` of `readEvents` when it matches `pattern` (the backend's event id format), else a refusal (400). */
export function eventCursor(after: string, pattern: RegExp): string {
  if (typeof after !== 'string' || !pattern.test(after))
    throw new NventError(`nvent: invalid event id ${quoteCursor(after)}: pass the id of an event of the run`, 400)
  return after
}
