// The per-minute history is trimmed relative to the newest minute written, not the clock, so old fixed times work.
import { describe, expect, it } from 'vitest'
import { RUN_MINUTES_KEPT } from '../../../src/runtime/contracts/store'
import { RunCounters } from '../../../src/runtime/adapters/memory/run-counters'

const MINUTE = 60_000

describe('RunCounters', () => {
  it('keeps RUN_MINUTES_KEPT of minutes before the newest one written, and ignores writes older than that', () => {
    const counters = new RunCounters()
    const start = 1_000 * MINUTE
    counters.apply({ counts: [], minute: { minute: start, field: 'started' } })
    counters.apply({ counts: [], minute: { minute: start + RUN_MINUTES_KEPT, field: 'completed' } })
    expect(counters.stats(0).minutes.map(m => m.minute)).toEqual([start, start + RUN_MINUTES_KEPT])
    counters.apply({ counts: [], minute: { minute: start + RUN_MINUTES_KEPT + MINUTE, field: 'started' } })
    counters.apply({ counts: [], minute: { minute: start, field: 'failed' } })
    expect(counters.stats(0).minutes.map(m => m.minute)).toEqual([start + RUN_MINUTES_KEPT, start + RUN_MINUTES_KEPT + MINUTE])
  })

  it('drops a count that reaches 0, and a flow left without counts', () => {
    const counters = new RunCounters()
    counters.apply({ counts: [{ flow: 'f', key: 'running', by: 1 }, { flow: 'g', key: 'running', by: 1 }] })
    counters.apply({ counts: [{ flow: 'f', key: 'running', by: -1 }, { flow: 'g', key: 'completed', by: 1 }] })
    expect(counters.stats(0).flows).toEqual({ g: { running: 1, completed: 1 } })
    expect([counters.count(undefined, 'running'), counters.count('f', 'running')]).toEqual([1, 0])
  })
})
