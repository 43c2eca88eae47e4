/**
 * The rules of `flow.triggers` and `flow.awaitBefore` / `flow.awaitAfter` that tie fields together, which
 * the shape alone cannot express: what a trigger or await type needs, and what it must not carry.
 */
import { cronOf } from '../runtime/triggers/cron-schedule'
import type { AwaitConfig } from '../runtime/types/await'
import type { FunctionConfig } from '../runtime/types/function'
import { isTriggerName, TRIGGER_NAME_RULE } from '../runtime/triggers/trigger-name'
import type { FlowTriggersConfig } from '../runtime/types/trigger'
import { describeValue } from './errors'
import type { ShapeReport } from './shape'

/** Checks a config whose shape is already valid, reporting each problem by its field path. */
export function checkFlowExtras(config: FunctionConfig, report: ShapeReport): void {
  const flow = config.flow
  if (!flow) return
  if (flow.triggers) {
    if (flow.role !== 'entry') {
      report('config.flow.triggers', `is only allowed on the flow's entry: triggers start flow '${flow.name}', and this step's role is '${flow.role}'`)
    }
    checkTriggers(flow.triggers, 'config.flow.triggers', report)
  }
  if (flow.awaitBefore) checkAwait(flow.awaitBefore, 'config.flow.awaitBefore', report)
  if (flow.awaitAfter) checkAwait(flow.awaitAfter, 'config.flow.awaitAfter', report)
}

function checkTriggers(triggers: FlowTriggersConfig, field: string, report: ShapeReport): void {
  const { define, config = {} } = triggers
  if (!define && !triggers.subscribe) {
    report(field, 'must `define` a trigger or `subscribe` to one (it has neither)')
  }
  // The same rule as the runtime's: a name it would refuse could never be registered, fired or reached by URL.
  const checkName = (name: string, nameField: string) => {
    if (!isTriggerName(name)) report(nameField, `must be ${TRIGGER_NAME_RULE} (found ${describeValue(name)})`)
  }
  if (define) checkName(define.name, `${field}.define.name`)
  triggers.subscribe?.forEach((name, index) => checkName(name, `${field}.subscribe[${index}]`))
  if (!define) {
    // `config` holds the settings of the defined trigger; there is none to apply them to.
    if (triggers.config) report(`${field}.config`, 'needs `define`: it holds the settings of the trigger this flow defines')
    return
  }
  const settings = `${field}.config`
  const onlyFor = (key: keyof typeof config, type: string) => {
    if (config[key] !== undefined && define.type !== type) {
      report(`${settings}.${key}`, `is only allowed on ${a(type)} trigger ('${define.name}' is ${a(define.type)} trigger)`)
    }
  }
  onlyFor('cron', 'time')
  onlyFor('timezone', 'time')
  onlyFor('secretEnv', 'webhook')
  if (define.type !== 'time') return
  if (config.cron === undefined) return report(`${settings}.cron`, `is required for a 'time' trigger`)

  const cronError = cronProblem(config.cron)
  if (cronError) report(`${settings}.cron`, `is not a valid cron expression: ${cronError}`)
  if (config.timezone === undefined) return
  if (!isTimeZone(config.timezone)) {
    report(`${settings}.timezone`, `is not a known IANA time zone (found ${describeValue(config.timezone)})`)
  }
  else if (!cronError) {
    // The runtime schedules with croner, so a zone the platform knows but croner refuses is still an error.
    const zoneError = cronProblem(config.cron, config.timezone)
    if (zoneError) report(`${settings}.timezone`, `is refused by the scheduler: ${zoneError}`)
  }
}

/** croner's own message when it refuses the expression (or the zone): the runtime reads it the same way. */
function cronProblem(cron: string, timezone?: string): string | undefined {
  try {
    cronOf({ cron, timezone })
    return undefined
  }
  catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone })
    return true
  }
  catch {
    return false
  }
}

/** The fields each await type takes beyond `type`, `timeout` and `timeoutAction`. */
const AWAIT_FIELDS: Record<string, AwaitConfig['type'][]> = {
  delay: ['time'],
  until: ['time'],
  method: ['webhook'],
  event: ['event'],
  match: ['event'],
  timeout: ['webhook', 'event'],
  timeoutAction: ['webhook', 'event'],
}

function checkAwait(config: AwaitConfig, field: string, report: ShapeReport): void {
  for (const [key, types] of Object.entries(AWAIT_FIELDS)) {
    if (config[key as keyof AwaitConfig] !== undefined && !types.includes(config.type)) {
      report(`${field}.${key}`, `is only allowed on ${a(types.join(`' or '`))} await (this one is '${config.type}')`)
    }
  }
  if (config.type === 'time') {
    if (config.delay === undefined && config.until === undefined) report(field, `needs \`delay\` or \`until\` for a 'time' await (it has neither)`)
    if (config.delay !== undefined && config.until !== undefined) report(`${field}.until`, 'cannot be given with `delay`: a \'time\' await waits for one or the other')
    if (config.until !== undefined && Number.isNaN(Date.parse(config.until))) {
      report(`${field}.until`, `must be an ISO-8601 date, e.g. '2030-01-01T09:00:00Z' (found ${describeValue(config.until)})`)
    }
  }
  if (config.type === 'event' && config.event === undefined) report(`${field}.event`, `is required for an 'event' await`)
}

/** `'type'` quoted, with its article: `an 'event'`, `a 'time'`. */
function a(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} '${type}'`
}
