/**
 * A small declarative shape for option objects, and its checker. The function config and the module
 * options are both described with it, so unknown keys, wrong types and bad numbers read alike.
 */
import { describeValue, fieldPath } from './errors'
import { closestMatch } from './suggest'

export type Shape =
  | { type: 'string', oneOf?: readonly string[], allowEmpty?: boolean }
  | { type: 'number', min: 'positive' | 'non-negative' | 'any', integer: boolean }
  | { type: 'boolean' }
  | { type: 'array', items: Shape }
  | { type: 'object', fields: Record<string, Shape>, required: readonly string[] }
  | { type: 'record', values: Shape }

/** Receives each problem: the field path and a message that follows it. */
export type ShapeReport = (field: string, message: string) => void

export const string = (oneOf?: readonly string[]): Shape => ({ type: 'string', oneOf })
/** A string where `''` is meaningful (e.g. "unset, use the fallback"), unlike names that must not be blank. */
export const stringOrEmpty: Shape = { type: 'string', allowEmpty: true }
export const boolean: Shape = { type: 'boolean' }
export const count: Shape = { type: 'number', min: 'positive', integer: true }
export const milliseconds: Shape = { type: 'number', min: 'positive', integer: false }
export const nonNegative: Shape = { type: 'number', min: 'non-negative', integer: false }
export const nonNegativeInteger: Shape = { type: 'number', min: 'non-negative', integer: true }
export const arrayOf = (items: Shape): Shape => ({ type: 'array', items })
export const object = (fields: Record<string, Shape>, required: readonly string[] = []): Shape => ({ type: 'object', fields, required })
/** An object whose keys are names the user chooses (flow names, say), each value of one shape. */
export const recordOf = (values: Shape): Shape => ({ type: 'record', values })

/**
 * Checks `value` against `shape`, reporting every problem under `field`. `undefined` counts as absent,
 * so options filled from unset environment variables pass.
 */
export function checkShape(value: unknown, shape: Shape, field: string, report: ShapeReport): void {
  const found = `(found ${describeValue(value)})`
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') return report(field, `must be a string ${found}`)
      if (value.trim() === '' && !shape.allowEmpty) return report(field, 'must not be empty')
      if (shape.oneOf && !shape.oneOf.includes(value)) {
        return report(field, `must be one of ${shape.oneOf.map(option => `'${option}'`).join(', ')} ${found}`)
      }
      return
    case 'boolean':
      if (typeof value !== 'boolean') report(field, `must be a boolean ${found}`)
      return
    case 'number':
      return checkNumber(value, shape, field, report)
    case 'array':
      if (!Array.isArray(value)) return report(field, `must be an array ${found}`)
      value.forEach((item, index) => checkShape(item, shape.items, fieldPath(field, index), report))
      return
    case 'object':
      return checkObject(value, shape, field, report)
    case 'record':
      if (!isObject(value)) return report(field, `must be an object (found ${describeValue(value)})`)
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) checkShape(item, shape.values, fieldPath(field, key), report)
      }
  }
}

function checkNumber(value: unknown, shape: Extract<Shape, { type: 'number' }>, field: string, report: ShapeReport): void {
  const kind = shape.integer ? 'integer' : 'number'
  const wanted = shape.min === 'any' ? `a finite ${kind}` : `a ${shape.min} ${kind}`
  const valid = typeof value === 'number' && Number.isFinite(value)
    && (!shape.integer || Number.isInteger(value))
    && (shape.min !== 'positive' || value > 0)
    && (shape.min !== 'non-negative' || value >= 0)
  if (!valid) report(field, `must be ${wanted} (found ${describeValue(value)})`)
}

function checkObject(value: unknown, shape: Extract<Shape, { type: 'object' }>, field: string, report: ShapeReport): void {
  if (!isObject(value)) return report(field, `must be an object (found ${describeValue(value)})`)
  const known = Object.keys(shape.fields)
  for (const [key, child] of Object.entries(value)) {
    const childShape = shape.fields[key]
    if (!childShape) {
      const suggestion = closestMatch(key, known)
      const hint = suggestion ? `did you mean \`${suggestion}\`?` : `known options: ${known.join(', ')}`
      report(fieldPath(field, key), `is not a known option (${hint})`)
    }
    else if (child !== undefined) {
      checkShape(child, childShape, fieldPath(field, key), report)
    }
  }
  for (const key of shape.required) {
    if ((value as Record<string, unknown>)[key] === undefined) report(fieldPath(field, key), 'is required')
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
