/**
 * Argument rules for the store's named logs, shared so every backend refuses the same inputs with the
 * same words instead of each doing something different with a zero or a fraction.
 */

const DEFAULT_LIMIT = 50

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
    throw new RangeError(`nvent: a log page's limit must be a positive integer, got ${limit}`)
  return limit
}

/** `before` that matches `pattern` (the backend's id format), else a clear error rather than a wrong page. */
export function logCursor(before: string | undefined, pattern: RegExp): string | undefined {
  if (before !== undefined && !pattern.test(before))
    throw new Error(`nvent: invalid log cursor "${before}"`)
  return before
}
