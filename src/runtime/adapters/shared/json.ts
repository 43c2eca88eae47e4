/**
 * The server backends keep JSON. `JSON.stringify` would quietly turn a Date into a string, a Map into `{}`
 * and NaN into null, so such values are refused up front, naming where they sit; what is accepted comes
 * back with the same types. Object properties set to `undefined` are the one thing let through: they come
 * back absent, which reads the same.
 */
import type { BadText } from '../../json-limits'
import { findJsonProblem, MAX_JSON_DEPTH } from '../../json-limits'

/**
 * The deepest nesting a backend writes. Values given to nvent are held to `MAX_JSON_DEPTH`; the records
 * and events that wrap them, and what handlers return, get room beyond it, while staying far below the
 * depth at which reading them back (`JSON.stringify`, `structuredClone`) overflows the stack.
 */
const MAX_STORED_DEPTH = 4 * MAX_JSON_DEPTH

/** How one backend words its refusal and what else it cannot keep. */
export interface JsonRules {
  /** Named in the error, e.g. `the Redis backend keeps JSON values only`. */
  backend: string
  /** Text the backend refuses although JSON allows it, such as JSONB's NUL character. */
  badText?: BadText
}

/** `JSON.stringify(value)`, or a TypeError naming the first part of `value` that would not come back as it is. */
export function encodeJson(value: unknown, what: string, rules: JsonRules): string {
  const problem = findJsonProblem(value, { maxDepth: MAX_STORED_DEPTH, badText: rules.badText, jsonOnly: true })
  if (problem)
    throw new TypeError(`nvent: cannot store ${what}: ${problem}; the ${rules.backend} backend keeps JSON values only`)
  return JSON.stringify(value)
}
