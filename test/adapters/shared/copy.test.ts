import { describe, expect, it } from 'vitest'
import { copy } from '../../../src/runtime/adapters/shared/copy'

describe('copy', () => {
  it('copies plain data deeply, as structuredClone does', () => {
    const value = { a: 1, b: 'two', c: [true, null, { d: -0, e: Number.NaN, f: undefined }], g: { h: { i: [[1], [2]] } } }
    const copied = copy(value)
    expect(copied).toEqual(structuredClone(value))
    expect(Object.is(copied.c[2] && (copied.c[2] as { d: number }).d, -0)).toBe(true)
    expect('f' in (copied.c[2] as object)).toBe(true)
    copied.g.h.i[0]!.push(9)
    expect(value.g.h.i[0]).toEqual([1])
  })

  it('hands anything but plain objects and arrays to structuredClone, whole', () => {
    const at = new Date(5)
    const value = { at, tags: new Map([['k', 1]]), error: new Error('no'), list: [1, new Set([2])] }
    const copied = copy(value)
    expect(copied.at).toBeInstanceOf(Date)
    expect(copied.at).not.toBe(at)
    expect(copied.at.getTime()).toBe(5)
    expect(copied.tags.get('k')).toBe(1)
    expect(copied.error).toBeInstanceOf(Error)
    expect(copied.list[1]).toBeInstanceOf(Set)
    class Point { constructor(public x: number) {} }
    expect(copy({ p: new Point(1) }).p).toEqual({ x: 1 })
    expect(Object.getPrototypeOf(copy({ p: new Point(1) }).p)).toBe(Object.prototype)
  })

  it('keeps cycles and holes as structuredClone does, and refuses functions with its error', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const copied = copy(cyclic)
    expect(copied.self).toBe(copied)
    expect(copied).not.toBe(cyclic)
    // eslint-disable-next-line no-sparse-arrays
    const holes = copy([1, , 3])
    expect(1 in holes).toBe(false)
    expect(() => copy({ run: () => {} })).toThrow(/could not be cloned/)
  })
})
