// The waiting lane's FIFO: first come first served, deletes anywhere, and a re-added id at the back.
import { describe, expect, it } from 'vitest'
import { FifoSet } from '../../../src/runtime/adapters/memory/fifo-set'

describe('FifoSet', () => {
  it('serves in arrival order, skipping deleted ids, with a re-added id at the back', () => {
    const fifo = new FifoSet().add('a').add('b').add('c').add('b')
    expect(fifo.size).toBe(3)
    fifo.delete('a')
    expect(fifo.first()).toBe('b')
    fifo.delete('b')
    fifo.add('b')
    expect(fifo.first()).toBe('c')
    fifo.delete('c')
    expect(fifo.first()).toBe('b')
    fifo.delete('b')
    expect(fifo.first()).toBeUndefined()
    expect(fifo.size).toBe(0)
  })

  it('keeps its order across compaction while draining a long queue', () => {
    const fifo = new FifoSet()
    for (let i = 0; i < 5000; i++) fifo.add(`j${i}`)
    const served: string[] = []
    for (let i = 0; i < 3000; i++) {
      const id = fifo.first()!
      served.push(id)
      fifo.delete(id)
      if (i % 2 === 0)
        fifo.add(`late${i}`)
    }
    expect(served.slice(0, 3)).toEqual(['j0', 'j1', 'j2'])
    expect(served.at(-1)).toBe('j2999')
    expect(fifo.size).toBe(2000 + 1500)
    expect(fifo.first()).toBe('j3000')
  })
})
