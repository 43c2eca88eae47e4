import { parseSync } from 'oxc-parser'
import type { Expression } from 'oxc-parser'
import { describe, expect, it } from 'vitest'
import { NotStaticError, evaluateStatic } from '../../src/module/static-value'

/** Evaluates the expression `code` as the value of `config`. */
function evaluate(code: string): unknown {
  const source = `const config = ${code}`
  const statement = parseSync('config.ts', source).program.body[0]
  if (statement?.type !== 'VariableDeclaration') throw new Error('test source must be a declaration')
  return evaluateStatic(statement.declarations[0]!.init as Expression, 'config', source)
}

function errorOf(code: string): NotStaticError {
  try {
    evaluate(code)
  }
  catch (error) {
    if (error instanceof NotStaticError) return error
    throw error
  }
  throw new Error(`expected ${code} to be rejected`)
}

describe('evaluateStatic', () => {
  it('reads strings, numbers, booleans and null', () => {
    expect(evaluate(`{ a: 'x', b: 2.5, c: true, d: false, e: null }`)).toEqual({ a: 'x', b: 2.5, c: true, d: false, e: null })
  })

  it('reads nested objects and arrays, with quoted and numeric keys', () => {
    expect(evaluate(`{ 'a-b': [1, [2]], 3: { c: [] } }`)).toEqual({ 'a-b': [1, [2]], 3: { c: [] } })
  })

  it('reads a template literal without expressions', () => {
    expect(evaluate('{ name: `daily-report` }')).toEqual({ name: 'daily-report' })
  })

  it('applies unary minus, plus and not', () => {
    expect(evaluate(`{ a: -1, b: +2, c: !true, d: !0 }`)).toEqual({ a: -1, b: 2, c: false, d: true })
  })

  it('computes arithmetic on numbers', () => {
    expect(evaluate(`{ t: 30 * 60 * 1000, u: (10 + 2) / 4 - 1, v: 2 ** 3 % 5 }`)).toEqual({ t: 1_800_000, u: 2, v: 3 })
  })

  it('looks through as, satisfies, non-null assertions and parentheses', () => {
    expect(evaluate(`({ a: ('x' as const), b: [1] satisfies number[], c: (5)! }) as const`)).toEqual({ a: 'x', b: [1], c: 5 })
  })

  it('rejects an identifier, naming the field path', () => {
    const error = errorOf(`{ flow: { emits: ['a', EVENTS] } }`)
    expect(error.field).toBe('config.flow.emits[1]')
    expect(error.message).toBe('config.flow.emits[1] must be a static value (found Identifier `EVENTS`)')
  })

  it('rejects a call', () => {
    expect(errorOf(`{ queue: { name: queueName('x') } }`).message)
      .toBe('config.queue.name must be a static value (found CallExpression `queueName(\'x\')`)')
  })

  it('rejects a spread in an object and in an array', () => {
    expect(errorOf(`{ retry: { ...base } }`).message).toBe('config.retry must be a static value (found SpreadElement `...base`)')
    expect(errorOf(`{ emits: [...more] }`).field).toBe('config.emits[0]')
  })

  it('rejects a template literal with an expression', () => {
    expect(errorOf('{ name: `flow-${env}` }').field).toBe('config.name')
  })

  it('rejects arithmetic on strings', () => {
    expect(errorOf(`{ name: 'a' + 'b' }`).message).toContain('arithmetic on non-numbers')
  })

  it('rejects computed keys, methods, shorthand properties, regexps and holes', () => {
    expect(errorOf(`{ [key]: 1 }`).message).toContain('a computed key `key`')
    expect(errorOf(`{ name() { return 'x' } }`).field).toBe('config.name')
    expect(errorOf(`{ queue }`).message).toBe('config.queue must be a static value (found Identifier `queue`)')
    expect(errorOf(`{ pattern: /x/ }`).field).toBe('config.pattern')
    expect(errorOf(`{ list: [1, , 2] }`).message).toBe('config.list[1] must be a static value (found an empty array slot)')
  })

  it('quotes keys that are not identifiers in the field path', () => {
    expect(errorOf(`{ 'my-key': x }`).field).toBe('config["my-key"]')
  })
})
