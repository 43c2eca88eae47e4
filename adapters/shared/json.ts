/**
 * The server backends keep JSON. `JSON.stringify` would quietly turn a Date into a string, a Map into `{}`
 * and NaN into null, so such values are refused up front, naming where they sit; what is accepted comes
 * back with the same types. Object properties set to `undefined` are the one thing let through: they come
 * back absent, which reads the same.
 */

/** How one backend words its refusal and what else it cannot keep. */
export interface JsonRules {
  /** Named in the error, e.g. `the Redis backend keeps JSON values only`. */
  backend: string
  /** Text the backend refuses although JSON allows it, such as JSONB's NUL character. */
  badText?: { pattern: RegExp, problem: string }
}

/** `JSON.stringify(value)`, or a TypeError naming the first part of `value` that would not come back as it is. */
export function encodeJson(value: unknown, what: string, rules: JsonRules): string {
  const problem = findNonJson(value, '', rules)
  if (problem)
    throw new TypeError(`nvent: cannot store ${what}: ${problem}; the ${rules.backend} backend keeps JSON values only`)
  return JSON.stringify(value)
}

/** Describes the first part of `value` (at `path`) that the backend would not give back unchanged, or undefined. */
export function findNonJson(value: unknown, path: string, rules: JsonRules): string | undefined {
  switch (typeof value) {
    case 'string':
      return rules.badText?.pattern.test(value) ? `${at(path)} ${rules.badText.problem}` : undefined
    case 'boolean':
      return undefined
    case 'number':
      return Number.isFinite(value) ? undefined : `${at(path)} is ${value}`
    case 'undefined':
      return `${at(path)} is undefined`
    case 'object':
      return value === null ? undefined : findInObject(value, path, rules)
    default:
      return `${at(path)} is a ${typeof value}`
  }
}

function findInObject(value: object, path: string, rules: JsonRules): string | undefined {
  if (Array.isArray(value)) {
    // Unlike a property, an `undefined` element would come back as null.
    for (let i = 0; i < value.length; i++) {
      const problem = findNonJson(value[i], `${path}[${i}]`, rules)
      if (problem)
        return problem
    }
    return undefined
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null)
    return `${at(path)} is a ${value.constructor?.name ?? 'class instance'}`
  for (const [key, item] of Object.entries(value)) {
    const keyPath = path ? `${path}.${key}` : key
    if (rules.badText?.pattern.test(key))
      return `the key ${at(keyPath)} ${rules.badText.problem}`
    const problem = item === undefined ? undefined : findNonJson(item, keyPath, rules)
    if (problem)
      return problem
  }
  return undefined
}

function at(path: string): string {
  return path ? `\`${path}\`` : 'the value'
}
