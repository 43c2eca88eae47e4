/** `useNvent().triggers`: register, change, fire and list triggers, and page through their history. */
import type { LogPage } from '../contracts/store'
import type { Engine } from '../engine/engine'
import { checkedInput } from '../json-limits'
import type { TriggerFiring, TriggerInfo, TriggerRegistration } from '../types/trigger'
import { TRIGGER_TYPES } from '../types/trigger'
import { cronOf, nextFireAt } from './cron-schedule'
import type { StoredTrigger, TriggerChanges } from './trigger-book'
import { historyLog, TriggerError } from './trigger-book'
import { triggerNameProblem } from './trigger-name'

export interface TriggerApi {
  /** Every trigger, with the next tick of enabled schedules. */
  list(): Promise<TriggerInfo[]>
  get(name: string): Promise<TriggerInfo | null>
  /** Adds a trigger at runtime; every instance sees it. Its name follows the rule of trigger-name.ts. */
  register(trigger: TriggerRegistration): Promise<TriggerInfo>
  /**
   * Changes a trigger. For a config-defined one only the changes are kept in the store, over what the
   * config says, so later edits of the config still apply to what was not changed here.
   */
  update(name: string, changes: TriggerChanges): Promise<TriggerInfo>
  enable(name: string): Promise<TriggerInfo>
  disable(name: string): Promise<TriggerInfo>
  /** Removes a trigger registered at runtime; a config-defined one is removed from its config. */
  delete(name: string): Promise<void>
  /** Fires by hand: starts every subscribed flow, `manual`-mode ones included. */
  fire(name: string, data?: unknown): Promise<TriggerFiring>
  /** Firings, newest first. @default limit 50 */
  history(name: string, options?: { before?: string, limit?: number }): Promise<LogPage<TriggerFiring>>
}

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

function check(engine: Engine, record: StoredTrigger): void {
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
  const unknown = record.flows.filter(flow => !engine.registry.flows[flow])
  if (unknown.length)
    throw new TriggerError(`${where}: unknown flows ${unknown.join(', ')} (known: ${Object.keys(engine.registry.flows).join(', ') || 'none'})`, 400)
}

export function createTriggerApi(engine: Engine): TriggerApi {
  const book = engine.triggerBook
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
      check(engine, record)
      if (!await book.save(record, { create: true }))
        throw new TriggerError(`nvent: trigger "${trigger.name}" exists already; use update()`, 409)
      return toInfo((await book.get(record.name))!)
    },
    async update(name, changes) {
      const current = await existing(name)
      const record: StoredTrigger = { ...current, ...changes, config: { ...current.config, ...changes.config }, flows: changes.flows ?? current.flows }
      check(engine, record)
      await (current.source === 'config' ? book.saveChanges(name, changes) : book.save(record))
      return toInfo((await book.get(name))!)
    },
    enable: name => api.update(name, { enabled: true }),
    disable: name => api.update(name, { enabled: false }),
    async delete(name) {
      const record = await existing(name)
      if (record.source === 'config')
        throw new TriggerError(`nvent: trigger "${name}" is defined in ${engine.registry.triggers[name]?.definedIn}; remove it there (or disable it)`, 409)
      await book.remove(name)
    },
    async fire(name, data) {
      checkName(name)
      return book.fire(name, checkedInput(data ?? null, `the data of trigger "${name}"`), 'manual')
    },
    async history(name, options) {
      checkName(name)
      return engine.adapters.store.logRead<TriggerFiring>(historyLog(name), options)
    },
  }
  return api
}
