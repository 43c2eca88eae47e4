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
