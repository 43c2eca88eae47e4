/**
 * Turns whatever a handler or processor threw into a readable reason. Lives in the runtime so the engine
 * (which may not import adapters) and every backend word a failure the same way.
 */
export function describeFailure(thrown: unknown): string {
  if (thrown instanceof Error)
    return thrown.message || thrown.name
  if (typeof thrown === 'string')
    return thrown
  try {
    const json = JSON.stringify(thrown)
    if (json !== undefined)
      return json
  }
  catch {
    // Cyclic or holding a BigInt: String() below still says something.
  }
  return String(thrown)
}

/** What a failed attempt keeps of what its handler threw. */
export interface Failure {
  message: string
  /** An Error's stack; a thrown string or object has none. */
  stack?: string
}

/** The reason (`describeFailure`) and, for an Error that has one, its stack. */
export function failureOf(thrown: unknown): Failure {
  const message = describeFailure(thrown)
  const stack = thrown instanceof Error && typeof thrown.stack === 'string' ? thrown.stack : undefined
  return stack ? { message, stack } : { message }
}
