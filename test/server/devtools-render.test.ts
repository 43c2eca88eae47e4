// The interim DevTools page offers the actions of triggers and awaits only where they apply.
import { describe, expect, it } from 'vitest'
import { overview, runDetail } from '../../runtime/server/devtools/render'
import type { RunRecord } from '../../runtime/types/run'
import type { TriggerInfo } from '../../runtime/types/trigger'

const trigger = (name: string, enabled: boolean): TriggerInfo => ({ name, type: 'manual', scope: 'flow', displayName: name, enabled, source: 'config', config: {}, subscribers: [{ flow: 'f', mode: 'auto' }] })

describe('devtools page', () => {
  it('lists triggers with a Fire button for enabled ones only', () => {
    const html = overview('/d/', [], [], [trigger('on', true), trigger('off', false)])
    expect(html).toContain('action="/d/fire?trigger=on"')
    expect(html).not.toContain('fire?trigger=off')
  })

  it('offers Resolve and Reject on an open await, and nothing once it ended', () => {
    const run = (outcome?: 'resolved'): RunRecord => ({
      id: 'r1', flowName: 'f', status: 'running', input: null, emitted: {}, createdAt: 0, updatedAt: 0,
      steps: { gate: { status: outcome ? 'queued' : 'awaiting', attempt: 0, queuedAt: 0, await: { phase: 'before', type: 'webhook', registeredAt: 0, ...(outcome && { outcome }) } } },
    })
    expect(runDetail('/d/', run(), [])).toContain('action="/d/resolve?run=r1&step=gate"')
    expect(runDetail('/d/', run(), [])).toContain('action="/d/reject?run=r1&step=gate"')
    expect(runDetail('/d/', run('resolved'), [])).not.toContain('resolve?run=')
  })
})
