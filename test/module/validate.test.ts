import { describe, expect, it } from 'vitest'
import { formatIssue } from '../../src/module/errors'
import { validateFunctionConfig } from '../../src/module/validate'

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

const entry = (extra: Record<string, unknown>) => ({ flow: { name: 'f', role: 'entry', ...extra } })
const timeTrigger = (config: Record<string, unknown>) => entry({ triggers: { define: { name: 'nightly', type: 'time' }, config } })
const awaitBefore = (config: Record<string, unknown>) => entry({ awaitBefore: config })

describe('validateFunctionConfig: triggers', () => {
  it('accepts every trigger option', () => {
    const config = entry({
      triggers: {
        define: { name: 'nightly', type: 'time', scope: 'global', displayName: 'Nightly', description: 'Every night' },
        subscribe: ['nightly', 'manual-run'],
        mode: 'manual',
        config: { cron: '0 3 * * *', timezone: 'Europe/Paris' },
      },
    })
    expect(validateFunctionConfig(config, FILE)).toEqual({ config, issues: [] })
    expect(messages(entry({ triggers: { define: { name: 'hook', type: 'webhook' }, config: { secretEnv: 'HOOK_SECRET' } } }))).toEqual([])
    expect(messages(entry({ triggers: { subscribe: ['somewhere-else'] } }))).toEqual([])
  })

  it('requires the name and type of a defined trigger, and checks the enums', () => {
    expect(messages(entry({ triggers: { define: { scope: 'app' }, mode: 'always' } }))).toEqual([
      `${FILE}: config.flow.triggers.define.scope must be one of 'global', 'flow' (found string "app")`,
      `${FILE}: config.flow.triggers.define.name is required`,
      `${FILE}: config.flow.triggers.define.type is required`,
      `${FILE}: config.flow.triggers.mode must be one of 'auto', 'manual' (found string "always")`,
    ])
    expect(messages(entry({ triggers: { define: { name: 'x', type: 'cron' } } }))).toEqual([
      `${FILE}: config.flow.triggers.define.type must be one of 'time', 'webhook', 'manual', 'event' (found string "cron")`,
    ])
  })

  it('rejects unknown trigger keys and a subscribe that is not a list of names', () => {
    expect(messages(entry({ triggers: { subscribe: 'nightly', config: { timeZone: 'UTC' } } }))).toEqual([
      `${FILE}: config.flow.triggers.subscribe must be an array (found string "nightly")`,
      `${FILE}: config.flow.triggers.config.timeZone is not a known option (did you mean \`timezone\`?)`,
    ])
  })

  it('allows triggers only on the entry', () => {
    expect(messages({ flow: { name: 'f', role: 'step', subscribes: ['a'], triggers: { subscribe: ['x'] } } })).toEqual([
      `${FILE}: config.flow.triggers is only allowed on the flow's entry: triggers start flow 'f', and this step's role is 'step'`,
    ])
  })

  it('needs a define or a subscribe', () => {
    expect(messages(entry({ triggers: { mode: 'manual' } }))).toEqual([
      `${FILE}: config.flow.triggers must \`define\` a trigger or \`subscribe\` to one (it has neither)`,
    ])
    expect(messages(entry({ triggers: { subscribe: ['x'], config: { secretEnv: 'S' } } }))).toEqual([
      `${FILE}: config.flow.triggers.config needs \`define\`: it holds the settings of the trigger this flow defines`,
    ])
  })

  it('requires a cron expression on a time trigger, and one croner can parse', () => {
    expect(messages(timeTrigger({}))).toEqual([`${FILE}: config.flow.triggers.config.cron is required for a 'time' trigger`])
    expect(messages(entry({ triggers: { define: { name: 'nightly', type: 'time' } } }))).toEqual([
      `${FILE}: config.flow.triggers.config.cron is required for a 'time' trigger`,
    ])
    expect(messages(timeTrigger({ cron: '61 * * * *' }))).toEqual([
      `${FILE}: config.flow.triggers.config.cron is not a valid cron expression: CronPattern: Invalid value for minute: 61`,
    ])
    expect(messages(timeTrigger({ cron: 'every day' }))[0]).toMatch(/config\.flow\.triggers\.config\.cron is not a valid cron expression: CronPattern: invalid configuration format/)
    expect(messages(timeTrigger({ cron: '*/10 * * * * *' }))).toEqual([])
  })

  it('rejects an unknown time zone', () => {
    expect(messages(timeTrigger({ cron: '0 3 * * *', timezone: 'Mars/Olympus' }))).toEqual([
      `${FILE}: config.flow.triggers.config.timezone is not a known IANA time zone (found string "Mars/Olympus")`,
    ])
  })

  it('keeps trigger names to the characters and length the runtime takes, naming the field', () => {
    const long = `a${'b'.repeat(128)}`
    expect(messages(entry({ triggers: { define: { name: '../../../tmp/evil', type: 'webhook' }, subscribe: ['ok.name:v2', 'has space', long] } }))).toEqual([
      `${FILE}: config.flow.triggers.define.name must be 1 to 128 characters of letters, digits and . _ : -, starting with a letter or digit (found string "../../../tmp/evil")`,
      `${FILE}: config.flow.triggers.subscribe[1] must be 1 to 128 characters of letters, digits and . _ : -, starting with a letter or digit (found string "has space")`,
      `${FILE}: config.flow.triggers.subscribe[2] must be 1 to 128 characters of letters, digits and . _ : -, starting with a letter or digit (found string "abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...")`,
    ])
    expect(messages(entry({ triggers: { define: { name: `a${'b'.repeat(127)}`, type: 'manual' }, subscribe: ['A-1_b.c:d'] } }))).toEqual([])
  })

  it('keeps cron and timezone to time triggers and secretEnv to webhook triggers', () => {
    expect(messages(entry({ triggers: { define: { name: 'hook', type: 'webhook' }, config: { cron: '* * * * *', timezone: 'UTC' } } }))).toEqual([
      `${FILE}: config.flow.triggers.config.cron is only allowed on a 'time' trigger ('hook' is a 'webhook' trigger)`,
      `${FILE}: config.flow.triggers.config.timezone is only allowed on a 'time' trigger ('hook' is a 'webhook' trigger)`,
    ])
    expect(messages(timeTrigger({ cron: '* * * * *', secretEnv: 'S' }))).toEqual([
      `${FILE}: config.flow.triggers.config.secretEnv is only allowed on a 'webhook' trigger ('nightly' is a 'time' trigger)`,
    ])
  })
})

describe('validateFunctionConfig: awaits', () => {
  it('accepts each await type with its options', () => {
    expect(messages(awaitBefore({ type: 'time', delay: 60_000 }))).toEqual([])
    expect(messages(awaitBefore({ type: 'time', until: '2030-01-01T09:00:00Z' }))).toEqual([])
    expect(messages(entry({ awaitAfter: { type: 'webhook', method: 'PUT', timeout: 1000, timeoutAction: 'continue' } }))).toEqual([])
    expect(messages(awaitBefore({ type: 'event', event: 'payment.received', match: 'orderId', timeout: 5000, timeoutAction: 'fail' }))).toEqual([])
  })

  it('requires the type and checks the enums', () => {
    expect(messages(awaitBefore({ delay: 10 }))).toEqual([`${FILE}: config.flow.awaitBefore.type is required`])
    expect(messages(entry({ awaitAfter: { type: 'timer', method: 'PATCH', timeoutAction: 'retry' } }))).toEqual([
      `${FILE}: config.flow.awaitAfter.type must be one of 'time', 'webhook', 'event' (found string "timer")`,
      `${FILE}: config.flow.awaitAfter.method must be one of 'POST', 'GET', 'PUT' (found string "PATCH")`,
      `${FILE}: config.flow.awaitAfter.timeoutAction must be one of 'fail', 'continue' (found string "retry")`,
    ])
    expect(messages(awaitBefore({ type: 'time', delay: -5 }))).toEqual([
      `${FILE}: config.flow.awaitBefore.delay must be a positive number (found number -5)`,
    ])
  })

  it('needs exactly one of delay or until on a time await', () => {
    expect(messages(awaitBefore({ type: 'time' }))).toEqual([
      `${FILE}: config.flow.awaitBefore needs \`delay\` or \`until\` for a 'time' await (it has neither)`,
    ])
    expect(messages(awaitBefore({ type: 'time', delay: 10, until: '2030-01-01' }))).toEqual([
      `${FILE}: config.flow.awaitBefore.until cannot be given with \`delay\`: a 'time' await waits for one or the other`,
    ])
  })

  it('requires until to be a date', () => {
    expect(messages(awaitBefore({ type: 'time', until: 'tomorrow' }))).toEqual([
      `${FILE}: config.flow.awaitBefore.until must be an ISO-8601 date, e.g. '2030-01-01T09:00:00Z' (found string "tomorrow")`,
    ])
  })

  it('requires the event of an event await', () => {
    expect(messages(entry({ awaitAfter: { type: 'event', match: 'orderId' } }))).toEqual([
      `${FILE}: config.flow.awaitAfter.event is required for an 'event' await`,
    ])
  })

  it('keeps each option to the await types it means something for', () => {
    expect(messages(awaitBefore({ type: 'webhook', match: 'orderId', delay: 5 }))).toEqual([
      `${FILE}: config.flow.awaitBefore.delay is only allowed on a 'time' await (this one is 'webhook')`,
      `${FILE}: config.flow.awaitBefore.match is only allowed on an 'event' await (this one is 'webhook')`,
    ])
    expect(messages(awaitBefore({ type: 'event', event: 'e', method: 'GET' }))).toEqual([
      `${FILE}: config.flow.awaitBefore.method is only allowed on a 'webhook' await (this one is 'event')`,
    ])
    expect(messages(entry({ awaitAfter: { type: 'time', delay: 5, timeout: 10, timeoutAction: 'continue' } }))).toEqual([
      `${FILE}: config.flow.awaitAfter.timeout is only allowed on a 'webhook' or 'event' await (this one is 'time')`,
      `${FILE}: config.flow.awaitAfter.timeoutAction is only allowed on a 'webhook' or 'event' await (this one is 'time')`,
    ])
  })
})
