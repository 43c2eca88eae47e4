/**
 * Everything the Redis backend keeps is JSON. `JSON.stringify` would quietly turn a Date into a string,
 * a Map into `{}` and NaN into null, so such values are refused up front, naming where they sit; what is
 * accepted comes back with the same types. Object properties set to `undefined` are the one thing let
 * through: they come back absent, which reads the same.
 */
export function toJson(value: unknown, what: string): string {
  const problem = nonJsonPart(value, '')
  if (problem)
    throw new TypeError(`nvent: cannot store ${what} in Redis: ${problem}; only JSON values (plain objects, arrays, strings, finite numbers, booleans, null) are kept`)
  return JSON.stringify(value)
}

/** Describes the first part of `value` that JSON would not bring back as it is, or undefined. */
function nonJsonPart(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean')
    return undefined
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${where(path)} is ${value}`
  if (typeof value !== 'object')
    return `${where(path)} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = value[i] === undefined ? `${where(`${path}[${i}]`)} is undefined` : nonJsonPart(value[i], `${path}[${i}]`)
      if (problem)
        return problem
    }
    return undefined
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null)
    return `${where(path)} is a ${(value as object).constructor?.name ?? 'class instance'}`
  for (const [key, item] of Object.entries(value)) {
    const problem = item === undefined ? undefined : nonJsonPart(item, path ? `${path}.${key}` : key)
    if (problem)
      return problem
  }
  return undefined
}

function where(path: string): string {
  return path ? `\`${path}\`` : 'the value'
}
