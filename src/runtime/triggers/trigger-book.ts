/**
 * Every trigger this app knows: those compiled from function configs, and those registered or changed at
 * runtime (kept in the store, so every instance sees the same). Firing one starts its subscribed flows
 * and appends the firing to the trigger's history.
 */
import type { NventContext } from '../engine/nvent-context'
import { NventError } from '../errors'
import type { FlowApi } from '../types/flow'
import { derivedRunId } from '../engine/run-id'
import { eventAwaits } from '../events/events'
import type { FiringSource, TriggerChanges, TriggerFiring, TriggerRecord } from '../types/trigger'

/** Store keys of stored trigger records; the stream topic that tells instances one changed. */
export const TRIGGER_KEY_PREFIX = 'trigger:def:'
export const TRIGGERS_TOPIC = 'triggers'
export const historyLog = (name: string) => `trigger:${name}`

/** A trigger with the flows registered with it at runtime (besides those whose config subscribes). */
export interface StoredTrigger extends TriggerRecord {
  flows: string[]
}

/**
 * What the store keeps per trigger: a whole runtime trigger, or only the changes made to a config-defined
 * one, so an edit of the config (a new cron, say) still shows through what was not changed at runtime.
 */
type StoredEntry = StoredTrigger | { name: string, source: 'config', changes: TriggerChanges }

/** A trigger problem an HTTP caller can act on; `status` is the response code a webhook answers. */
export class TriggerError extends NventError {
  override name = 'TriggerError'
}

/** How long a cached list answers "does anything listen for this event?" before it is read again. */
const LISTEN_CACHE_MS = 2000

export class TriggerBook {
  private cache?: { at: number, names: Set<string> }

  constructor(private readonly context: NventContext, private readonly flows: FlowApi) {}

  /** The record of a config-defined trigger, as compiled. */
  private compiled(name: string): StoredTrigger | undefined {
    const defined = this.context.registry.triggers[name]
    if (!defined)
      return undefined
    const { definedIn: _file, ...rest } = defined
    return { ...rest, enabled: true, source: 'config', subscribers: [], flows: [] }
  }

  private withSubscribers(record: StoredTrigger): StoredTrigger {
    const fromConfig = this.context.registry.subscriptions[record.name] ?? []
    const extra = record.flows.filter(flow => !fromConfig.some(s => s.flow === flow)).map(flow => ({ flow, mode: 'auto' as const }))
    return { ...record, subscribers: [...fromConfig, ...extra] }
  }

  /** The trigger as it stands: compiled with its runtime changes, or registered at runtime. */
  private resolve(name: string, entry: StoredEntry | undefined): StoredTrigger | undefined {
    const compiled = this.compiled(name)
    if (compiled) {
      const changes = entry && 'changes' in entry ? entry.changes : {}
      return this.withSubscribers({ ...compiled, ...changes, config: { ...compiled.config, ...changes.config }, flows: changes.flows ?? [] })
    }
    // Changes to a trigger whose config no longer defines it are left over from an older build.
    return entry && !('changes' in entry) ? this.withSubscribers(entry) : undefined
  }

  async get(name: string): Promise<StoredTrigger | undefined> {
    return this.resolve(name, await this.context.adapters.store.kvGet<StoredEntry>(TRIGGER_KEY_PREFIX + name))
  }

  async all(): Promise<StoredTrigger[]> {
    const entries = new Map<string, StoredEntry | undefined>(Object.keys(this.context.registry.triggers).map(name => [name, undefined]))
    for (const { value } of await this.context.adapters.store.kvEntries<StoredEntry>(TRIGGER_KEY_PREFIX))
      entries.set(value.name, value)
    return [...entries].flatMap(([name, entry]) => this.resolve(name, entry) ?? []).sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Stores a trigger registered at runtime; with `create`, only if no instance stored one first. */
  async save(record: StoredTrigger, options: { create: boolean } = { create: false }): Promise<boolean> {
    const key = TRIGGER_KEY_PREFIX + record.name
    const value = { ...record, subscribers: [] }
    if (options.create && !await this.context.adapters.store.kvClaim(key, value))
      return false
    if (!options.create)
      await this.context.adapters.store.kvSet(key, value)
    await this.changed(record.name)
    return true
  }

  /** Adds `changes` to those kept for a config-defined trigger. */
  async saveChanges(name: string, changes: TriggerChanges): Promise<void> {
    const entry = await this.context.adapters.store.kvGet<StoredEntry>(TRIGGER_KEY_PREFIX + name)
    const kept = entry && 'changes' in entry ? entry.changes : {}
    const merged = { ...kept, ...changes, config: { ...kept.config, ...changes.config } }
    await this.context.adapters.store.kvSet(TRIGGER_KEY_PREFIX + name, { name, source: 'config', changes: merged })
    await this.changed(name)
  }

  async remove(name: string): Promise<void> {
    await this.context.adapters.store.kvDelete(TRIGGER_KEY_PREFIX + name)
    await this.changed(name)
  }

  private async changed(name: string): Promise<void> {
    this.cache = undefined
    await this.context.adapters.stream.publish(TRIGGERS_TOPIC, { name }).catch(() => {})
  }

  /** Forgets cached answers; instances call it when another one publishes a change. */
  invalidate(): void {
    this.cache = undefined
  }

  /** Whether an emit of `event` can matter: an event trigger or an event await listens for that name. */
  async listensFor(event: string): Promise<boolean> {
    if (!this.cache || Date.now() - this.cache.at > LISTEN_CACHE_MS) {
      const names = new Set((await this.all()).filter(t => t.type === 'event').map(t => t.name))
      for (const event of eventAwaits(this.context.registry).keys())
        names.add(event)
      this.cache = { at: Date.now(), names }
    }
    return this.cache.names.has(event)
  }

  /**
   * Fires the trigger: starts every subscribed flow (only `auto` subscribers unless fired by hand) with
   * `input.trigger`, and records the firing in its history. With `dedupe` the run ids derive from it, so
   * firing again for the same cause starts nothing new; `record: false` leaves the history to the caller
   * that fired first.
   */
  async fire(name: string, data: unknown, source: FiringSource, options: { dedupe?: string, record?: boolean } = {}): Promise<TriggerFiring> {
    const { dedupe, record = true } = options
    const trigger = await this.get(name)
    if (!trigger)
      throw new TriggerError(`unknown trigger "${name}"`, 404)
    if (!trigger.enabled)
      throw new TriggerError(`trigger "${name}" is disabled`, 409)
    const firedAt = Date.now()
    const origin = { name, type: trigger.type, source, data, firedAt }
    const runIds: string[] = []
    for (const { flow, mode } of trigger.subscribers) {
      if (mode === 'manual' && source !== 'manual')
        continue
      const runId = dedupe ? derivedRunId(`${dedupe}\0${flow}`) : undefined
      runIds.push((await this.flows.start(flow, { trigger: origin }, { trigger: origin, runId })).runId)
    }
    const firing: TriggerFiring = { ...origin, runIds }
    if (record)
      await this.context.adapters.store.logAppend(historyLog(name), firing, { maxLength: this.context.options.triggers.historyLimit })
    return firing
  }
}
