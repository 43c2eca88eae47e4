/**
 * Errors a caller can act on. `status` is the HTTP answer a route gives for it (400 bad input, 404 unknown,
 * 409 conflict, 503 not available here), so every route maps nvent's refusals the same way and never
 * answers 500 for input it was given.
 */
export class NventError extends Error {
  override name = 'NventError'

  constructor(message: string, readonly status: number) {
    super(message)
  }
}

/** Whether `error` is a refusal with an HTTP status (an NventError, or one from another realm that looks like it). */
export function hasStatus(error: unknown): error is Error & { status: number } {
  const status = (error as { status?: unknown } | null)?.status
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 600
}
