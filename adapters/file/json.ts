/**
 * The file backend stores JSON. Rather than let `JSON.stringify` silently turn a Date into a string or drop
 * a Map's entries, values that would not come back as they went in are refused with the path to them.
 * Object properties set to `undefined` are the one exception: they come back absent, which reads the same.
 */
export function encodeJson(value: unknown, what: string): string {
  const problem = findNonJson(value, '')
  if (problem)
    throw new TypeError(`nvent: cannot store ${what}: ${problem}; the file backend keeps JSON values only`)
  return JSON.stringify(value)
}

function findNonJson(value: unknown, path: string): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined
    case 'number':
      return Number.isFinite(value) ? undefined : `${at(path)} is ${value}`
    case 'object':
      return value === null ? undefined : findInObject(value, path)
    default:
      return `${at(path)} is a ${typeof value}`
  }
}

function findInObject(value: object, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = value[i] === undefined ? `${at(`${path}[${i}]`)} is undefined` : findNonJson(value[i], `${path}[${i}]`)
      if (problem)
        return problem
    }
    return undefined
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null)
    return `${at(path)} is a ${value.constructor?.name ?? 'class instance'}`
  for (const [key, item] of Object.entries(value)) {
    const problem = item === undefined ? undefined : findNonJson(item, path ? `${path}.${key}` : key)
    if (problem)
      return problem
  }
  return undefined
}

function at(path: string): string {
  return path ? `\`${path}\`` : 'the value'
}
