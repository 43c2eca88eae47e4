/** Turns whatever a processor threw into a readable failure reason. */
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
