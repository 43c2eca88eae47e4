import { describe, expect, it } from 'vitest'
import { formatIssue } from '../../build/errors'
import { validateFunctionConfig } from '../../build/validate'

const FILE = 'server/functions/a.ts'
const messages = (config: unknown) => validateFunctionConfig(config, FILE).issues.map(formatIssue)

describe('validateFunctionConfig', () => {
  it('accepts every documented option', () => {
    const config = {
      queue: { name: 'q', limiter: { max: 10, duration: 1000 } },
      worker: { concurrency: 4 },
      retry: { attempts: 3, backoff: { type: 'exponential', delay: 0 } },
      flow: { name: 'f', role: 'step', step: 's', emits: ['a'], subscribes: ['b'], stepTimeout: 5000 },
    }
    expect(validateFunctionConfig(config, FILE)).toEqual({ config, issues: [] })
  })

  it('names an unknown key with a suggestion when one is close', () => {
    expect(messages({ flow: { name: 'f', role: 'entry', emit: ['a'] } }))
      .toEqual([`${FILE}: config.flow.emit is not a known option (did you mean \`emits\`?)`])
  })

  it('lists the known keys when no suggestion is close', () => {
    expect(messages({ schedule: '* * * * *' })[0]).toBe(`${FILE}: config.schedule is not a known option (known options: queue, worker, retry, flow)`)
  })

  it('reports wrong types with what was found', () => {
    expect(messages({ queue: { name: 42 }, flow: { name: 'f', role: 'entry', emits: 'a' } })).toEqual([
      `${FILE}: config.queue.name must be a string (found number 42)`,
      `${FILE}: config.flow.emits must be an array (found string "a")`,
    ])
  })

  it('rejects a role other than entry or step', () => {
    expect(messages({ flow: { name: 'f', role: 'start' } }))
      .toEqual([`${FILE}: config.flow.role must be one of 'entry', 'step' (found string "start")`])
  })

  it('requires positive integers where a count is needed', () => {
    expect(messages({ queue: { limiter: { max: -1, duration: 10 } }, worker: { concurrency: 1.5 }, retry: { attempts: 0 } })).toEqual([
      `${FILE}: config.queue.limiter.max must be a positive integer (found number -1)`,
      `${FILE}: config.worker.concurrency must be a positive integer (found number 1.5)`,
      `${FILE}: config.retry.attempts must be a positive integer (found number 0)`,
    ])
  })

  it('requires the flow name and role, and the backoff type and delay', () => {
    expect(messages({ retry: { backoff: {} }, flow: {} })).toEqual([
      `${FILE}: config.retry.backoff.type is required`,
      `${FILE}: config.retry.backoff.delay is required`,
      `${FILE}: config.flow.name is required`,
      `${FILE}: config.flow.role is required`,
    ])
  })

  it('rejects a config that is not an object and an empty event name', () => {
    expect(messages([])).toEqual([`${FILE}: config must be an object (found array)`])
    expect(messages({ flow: { name: 'f', role: 'step', subscribes: [''] } })).toEqual([`${FILE}: config.flow.subscribes[0] must not be empty`])
  })
})
