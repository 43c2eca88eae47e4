/**
 * What nvent keeps of a JSON value, checked with an explicit stack rather than recursion, so no value is
 * deep enough to overflow the call stack while it is being checked. Values given to nvent (webhook bodies,
 * run inputs, event data, await payloads) are held to `MAX_JSON_DEPTH` and to text every backend can
 * store; the server backends also check what they write (see adapters/shared/json.ts).
 */
import { NventError } from './errors'

/**
 * Objects and arrays nested deeper than this are refused in values given to nvent: readers further on
 * (`JSON.stringify`, `structuredClone`, the DevTools views) recurse, and a few thousand levels, only a
 * few KB of JSON, overflow their stack.
 */
export const MAX_JSON_DEPTH = 64

/** Text JSON allows but PostgreSQL's jsonb refuses; refused in values given to nvent on every backend alike. */
export const UNSTORABLE_TEXT: BadText = {
  pattern: /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
  problem: 'contains a NUL character or an unpaired surrogate',
}

/** Text a backend cannot keep, and how a refusal words it. */
export interface BadText {
  pattern: RegExp
  problem: string
}

/** What a check refuses. */
export interface JsonCheck {
  /** Objects and arrays nested deeper than this. */
  maxDepth: number
  /** Strings and keys matching this. @default none */
  badText?: BadText
  /**
   * Also what `JSON.stringify` would not give back as it was: a Date, a Map, NaN, an `undefined` array
   * element. Object properties set to `undefined` pass: they come back absent, which reads the same.
   * @default false
   */
  jsonOnly?: boolean
}

/** Names the part of a value at `path` (`''` is the whole value) in a message. */
export type JsonSubject = (path: string) => string

const LONGEST_PATH = 80

/** `` `a.b[2]` ``, or 'the value' for the whole value; a path too long to read is cut short. */
export const quotePath: JsonSubject = path =>
  path ? `\`${path.length > LONGEST_PATH ? `${path.slice(0, LONGEST_PATH)}…` : path}\`` : 'the value'

/** Describes the first part of `value` the rules refuse (in document order), or undefined if there is none. */
export function findJsonProblem(value: unknown, rules: JsonCheck, subject: JsonSubject = quotePath): string | undefined {
  // Children are pushed in reverse so they are checked in document order.
  const pending: { value: unknown, path: string, depth: number }[] = [{ value, path: '', depth: 0 }]
  while (pending.length > 0) {
    const item = pending.pop()!
    const problem = problemOf(item.value, rules)
    if (problem)
      return `${subject(item.path)} ${problem}`
    if (typeof item.value !== 'object' || item.value === null)
      continue
    if (item.depth >= rules.maxDepth)
      return `${subject(item.path)} is nested more than ${rules.maxDepth} levels deep (objects and arrays count)`
    const depth = item.depth + 1
    if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--)
        pending.push({ value: item.value[i], path: `${item.path}[${i}]`, depth })
      continue
    }
    const entries = Object.entries(item.value)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!
      const path = item.path ? `${item.path}.${key}` : key
      if (rules.badText?.pattern.test(key))
        return `the key ${subject(path)} ${rules.badText.problem}`
      if (child !== undefined)
        pending.push({ value: child, path, depth })
    }
  }
  return undefined
}

/** What is wrong with `value` itself, not counting what it holds. */
function problemOf(value: unknown, rules: JsonCheck): string | undefined {
  switch (typeof value) {
    case 'string':
      return rules.badText?.pattern.test(value) ? rules.badText.problem : undefined
    case 'boolean':
      return undefined
    case 'number':
      return rules.jsonOnly && !Number.isFinite(value) ? `is ${value}` : undefined
    case 'object': {
      if (!rules.jsonOnly || value === null || Array.isArray(value))
        return undefined
      const prototype = Object.getPrototypeOf(value)
      return prototype === Object.prototype || prototype === null ? undefined : `is a ${value.constructor?.name ?? 'class instance'}`
    }
    default:
      // Reached for the whole value and array elements: an undefined element would come back as null.
      return rules.jsonOnly ? (value === undefined ? 'is undefined' : `is a ${typeof value}`) : undefined
  }
}

/** The limits on values given to nvent. */
const INPUT_RULES: JsonCheck = { maxDepth: MAX_JSON_DEPTH, badText: UNSTORABLE_TEXT }

/**
 * Why nvent refuses `value` as input (nested too deep, or text a backend cannot keep), naming where
 * through `subject`; undefined when it takes it.
 */
export function inputProblem(value: unknown, subject: JsonSubject): string | undefined {
  return findJsonProblem(value, INPUT_RULES, subject)
}

/** `value`, or an `NventError` (400) naming what of it nvent refuses; `what` names the value: `the input of flow "order"`. */
export function checkedInput<T>(value: T, what: string): T {
  const problem = inputProblem(value, path => path ? `${quotePath(path)} of ${what}` : what)
  if (problem)
    throw new NventError(`nvent: ${problem}`, 400)
  return value
}

/**
 * The guard of `flow.start`: the input it was given, or for a run a trigger starts (whose input nvent
 * builds as `{ trigger }` around the firing) the firing's data, which may use the whole depth.
 */
export function checkRunInput(flow: string, input: unknown, origin?: { trigger?: { name: string, data: unknown } }): void {
  if (origin?.trigger)
    checkedInput(origin.trigger.data, `the data of trigger "${origin.trigger.name}"`)
  else
    checkedInput(input, `the input of flow "${flow}"`)
}
