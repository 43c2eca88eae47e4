/** `useNvent().triggers`: register, change, fire and list triggers, and page through their history. */
import type { NventContext } from '../engine/nvent-context'
import { checkedInput } from '../json-limits'
import type { TriggerApi, TriggerFiring, TriggerInfo } from '../types/trigger'
import { TRIGGER_TYPES } from '../types/trigger'
import { cronOf, nextFireAt } from './cron-schedule'
import type { StoredTrigger } from './trigger-book'
import { historyLog, TriggerError } from './trigger-book'
import { triggerNameProblem } from './trigger-name'

/** What `list` shows: never a secret, only whether there is one. */
function toInfo(record: StoredTrigger): TriggerInfo {
  const { flows: _flows, config: { secret, ...config }, ...rest } = record
  const hasSecret = Boolean(secret || config.secretEnv)
  const info: TriggerInfo = { ...rest, config: { ...config, ...(hasSecret && { hasSecret }) } }
  if (record.type === 'time' && record.enabled)
    info.nextFireAt = nextFireAt(record.config)
  return info
}

/** A name no trigger can have is refused before the store is asked about it. */
function checkName(name: unknown): void {
  const problem = triggerNameProblem(name)
  if (problem)
    throw new TriggerError(`nvent: ${problem}`, 400)
}

function check(context: NventContext, record: StoredTrigger): void {
  const where = `nvent: trigger "${record.name}"`
  if (!TRIGGER_TYPES.includes(record.type))
    throw new TriggerError(`${where}: type must be one of time, webhook, manual, event (found ${JSON.stringify(record.type)})`, 400)
  if (record.type === 'time') {
    try {
      cronOf(record.config)
    }
    catch (error) {
      throw new TriggerError(`${where}: config.cron ${JSON.stringify(record.config.cron)} is not valid: ${(error as Error).message}`, 400)
    }
  }
  // An empty secret would quietly turn signature checks off; a public webhook is one with neither setting.
  for (const key of ['secret', 'secretEnv'] as const) {
    const value = record.config[key]
    if (value !== undefined && (typeof value !== 'string' || value === ''))
      throw new TriggerError(`${where}: config.${key} must be a non-empty string (found ${typeof value === 'string' ? 'an empty string' : typeof value}); to accept unsigned requests, give neither secret nor secretEnv`, 400)
  }
  const unknown = record.flows.filter(flow => !context.registry.flows[flow])
  if (unknown.length)
    throw new TriggerError(`${where}: unknown flows ${unknown.join(', ')} (known: ${Object.keys(context.registry.flows).join(', ') || 'none'})`, 400)
}

export function createTriggerApi(context: NventContext): TriggerApi {
  const book = context.triggerBook
  async function existing(name: string): Promise<StoredTrigger> {
    checkName(name)
    const record = await book.get(name)
    if (!record)
      throw new TriggerError(`nvent: unknown trigger "${name}"`, 404)
    return record
  }
  const api: TriggerApi = {
    list: async () => (await book.all()).map(toInfo),
    async get(name) {
      // No trigger has a name the rule refuses, so the store is not asked.
      const record = triggerNameProblem(name) ? undefined : await book.get(name)
      return record ? toInfo(record) : null
    },
    async register(trigger) {
      checkName(trigger.name)
      if (await book.get(trigger.name))
        throw new TriggerError(`nvent: trigger "${trigger.name}" exists already; use update()`, 409)
      const record: StoredTrigger = {
        name: trigger.name,
        type: trigger.type,
        scope: trigger.scope ?? 'flow',
        displayName: trigger.displayName ?? trigger.name,
        ...(trigger.description && { description: trigger.description }),
        config: trigger.config ?? {},
        enabled: trigger.enabled ?? true,
        source: 'runtime',
        subscribers: [],
        flows: trigger.flows ?? [],
      }
      check(context, record)
      if (!await book.save(record, { create: true }))
        throw new TriggerError(`nvent: trigger "${trigger.name}" exists already; use update()`, 409)
      return toInfo((await book.get(record.name))!)
    },
    async update(name, changes) {
      const current = await existing(name)
      const record: StoredTrigger = { ...current, ...changes, config: { ...current.config, ...changes.config }, flows: changes.flows ?? current.flows }
      check(context, record)
      await (current.source === 'config' ? book.saveChanges(name, changes) : book.save(record))
      return toInfo((await book.get(name))!)
    },
    enable: name => api.update(name, { enabled: true }),
    disable: name => api.update(name, { enabled: false }),
    async delete(name) {
      const record = await existing(name)
      if (record.source === 'config')
        throw new TriggerError(`nvent: trigger "${name}" is defined in ${context.registry.triggers[name]?.definedIn}; remove it there (or disable it)`, 409)
      await book.remove(name)
    },
    async fire(name, data) {
      checkName(name)
      return book.fire(name, checkedInput(data ?? null, `the data of trigger "${name}"`), 'manual')
    },
    async history(name, options) {
      checkName(name)
      return context.adapters.store.logRead<TriggerFiring>(historyLog(name), options)
    },
  }
  return api
}
