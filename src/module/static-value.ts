/**
 * Evaluates a config expression as a static value without running the file: literals, object and array
 * literals, template literals without expressions, unary `+ - !` and number arithmetic. TypeScript
 * wrappers (`as`, `satisfies`, `!`, `<T>`) and parentheses are looked through.
 */
import type { Expression, ObjectExpression, PropertyKey, SpreadElement } from 'oxc-parser'
import { fieldPath } from './errors'

type Node = Expression | SpreadElement | PropertyKey

/** A value that cannot be known at build time, located by its field path. */
export class NotStaticError extends Error {
  constructor(readonly field: string, readonly found: string) {
    super(`${field} must be a static value (found ${found})`)
  }
}

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
}

/**
 * Returns the value of `node`, or throws `NotStaticError` naming `field` (e.g. `config.flow.emits[1]`).
 * `source` is the file's text, quoted in the error so the user sees what was found.
 */
export function evaluateStatic(node: Expression, field: string, source: string): unknown {
  const fail = (found: Node, why?: string): never => {
    throw new NotStaticError(field, why ?? `${found.type} \`${snippet(source, found)}\``)
  }
  switch (node.type) {
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
      return evaluateStatic(node.expression, field, source)
    case 'Literal':
      // RegExp and BigInt literals are not config values.
      if ('regex' in node || 'bigint' in node) return fail(node)
      return node.value
    case 'TemplateLiteral':
      if (node.expressions.length > 0) return fail(node)
      return node.quasis[0]?.value.cooked ?? ''
    case 'ArrayExpression':
      return node.elements.map((element, index) => {
        const elementField = fieldPath(field, index)
        if (element === null) throw new NotStaticError(elementField, 'an empty array slot')
        if (element.type === 'SpreadElement') throw new NotStaticError(elementField, `SpreadElement \`${snippet(source, element)}\``)
        return evaluateStatic(element, elementField, source)
      })
    case 'ObjectExpression':
      return evaluateObject(node, field, source)
    case 'UnaryExpression': {
      const value = evaluateStatic(node.argument, field, source)
      if (node.operator === '!') return !value
      if ((node.operator === '-' || node.operator === '+') && typeof value === 'number') {
        return node.operator === '-' ? -value : value
      }
      return fail(node)
    }
    case 'BinaryExpression': {
      const operation = ARITHMETIC[node.operator]
      // `#field in obj` has a private name on the left; `in` is no arithmetic anyway.
      if (!operation || node.left.type === 'PrivateIdentifier') return fail(node)
      const left = evaluateStatic(node.left, field, source)
      const right = evaluateStatic(node.right, field, source)
      if (typeof left !== 'number' || typeof right !== 'number') return fail(node, `arithmetic on non-numbers \`${snippet(source, node)}\``)
      return operation(left, right)
    }
    default:
      return fail(node)
  }
}

function evaluateObject(node: ObjectExpression, field: string, source: string): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const property of node.properties) {
    if (property.type === 'SpreadElement') throw new NotStaticError(field, `SpreadElement \`${snippet(source, property)}\``)
    const key = propertyName(property.key, property.computed)
    if (key === undefined) throw new NotStaticError(field, `a computed key \`${snippet(source, property.key)}\``)
    const propertyField = fieldPath(field, key)
    if (property.kind !== 'init' || property.method) {
      throw new NotStaticError(propertyField, `a method \`${snippet(source, property)}\``)
    }
    result[key] = evaluateStatic(property.value, propertyField, source)
  }
  return result
}

/** The name of a non-computed key (`a`, `'a-b'`, `2`); `undefined` for anything computed. */
function propertyName(key: PropertyKey, computed: boolean): string | undefined {
  if (computed) return undefined
  if (key.type === 'Identifier') return key.name
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value)
  return undefined
}

/** The node's source text on one line, shortened so messages stay readable. */
export function snippet(source: string, node: { start: number, end: number }): string {
  const text = source.slice(node.start, node.end).replace(/\s+/g, ' ')
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
