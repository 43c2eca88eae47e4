/**
 * Deep copies for the in-process adapters, which copy every value on its way in and out. What they copy
 * is almost always plain data (records, events, job data), and `structuredClone` serializes and
 * deserializes even that: on the step path it was the largest cost of the memory backend after garbage
 * collection. Plain objects and arrays are copied here by hand; anything else (a Date, a Map, an Error,
 * a class instance, a cycle) makes the whole value go through `structuredClone`, so the result is what
 * `structuredClone` gives, except that an object reached twice is copied twice.
 */

/** Deeper than this is taken for a cycle, and left to structuredClone. */
const MAX_DEPTH = 64

const UNCOPIED: unique symbol = Symbol('uncopied')

export function copy<T>(value: T): T {
  const copied = copyPlain(value, 0)
  return (copied === UNCOPIED ? structuredClone(value) : copied) as T
}

function copyPlain(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    // Functions and symbols: structuredClone refuses them, and should say so.
    return typeof value === 'function' || typeof value === 'symbol' ? UNCOPIED : value
  }
  if (depth > MAX_DEPTH)
    return UNCOPIED
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype)
      return UNCOPIED
    const array: unknown[] = Array.from({ length: value.length })
    for (let i = 0; i < value.length; i++) {
      // A hole stays a hole only through structuredClone.
      if (!(i in value))
        return UNCOPIED
      const item = copyPlain(value[i], depth + 1)
      if (item === UNCOPIED)
        return UNCOPIED
      array[i] = item
    }
    return array
  }
  if (Object.getPrototypeOf(value) !== Object.prototype)
    return UNCOPIED
  const object: Record<string, unknown> = {}
  for (const key in value) {
    const item = copyPlain((value as Record<string, unknown>)[key], depth + 1)
    if (item === UNCOPIED)
      return UNCOPIED
    object[key] = item
  }
  return object
}
