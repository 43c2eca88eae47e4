/**
 * Events from outside a run (`useNvent().events.emit`) and emits committed inside one: both start the
 * flows subscribed through an `event` trigger and resolve the event awaits they match.
 */
import { isDeepStrictEqual } from 'node:util'
import type { Registry } from '../types/registry'
import type { RunRecord } from '../types/run'
import type { EmittedEvent } from '../engine/transitions'
import type { NventContext } from '../engine/nvent-context'
import { checkedInput } from '../json-limits'
import type { AwaitRef, EventAwaitRef } from '../types/await'
import type { EventApi, EventDelivery } from '../types/event'
import type { RecentEvent } from '../awaits/keys'
import { eventKeyPrefix, RECENT_EVENT_TTL, recentEventKey } from '../awaits/keys'
import { endAwaitAndSettle } from '../awaits/end'
import type { TriggerBook } from '../triggers/trigger-book'

/** A run whose input has no value at the match key matches no event: it would otherwise match them all. */
function matches(ref: EventAwaitRef, data: unknown): boolean {
  if (!ref.matchKey)
    return true
  const value = (data as Record<string, unknown> | null)?.[ref.matchKey]
  return ref.matchValue != null && isDeepStrictEqual(value, ref.matchValue)
}

/**
 * Starts the flows an event trigger of `name` subscribes and resolves the awaits the event matches. With
 * `dedupe`, the runs it starts have ids derived from it, so delivering the same event again starts none.
 */
export async function deliverEvent(context: NventContext, book: TriggerBook, name: string, data: unknown, dedupe?: string): Promise<EventDelivery> {
  await keepForLateAwaits(context, name, data)
  const runIds: string[] = []
  const trigger = await book.get(name)
  if (trigger?.type === 'event' && trigger.enabled)
    runIds.push(...(await book.fire(name, data, 'event', { dedupe })).runIds)
  const resolved: AwaitRef[] = []
  for (const { value: ref } of await context.adapters.store.kvEntries<EventAwaitRef>(eventKeyPrefix(name))) {
    if (!matches(ref, data))
      continue
    const ended = await endAwaitAndSettle(context, ref.runId, ref.step, ref.phase, { outcome: 'resolved', payload: data })
    if (ended)
      resolved.push({ runId: ref.runId, step: ref.step, phase: ref.phase })
  }
  return { runIds, resolved }
}

/**
 * An event may arrive while the run it belongs to is on its way to the await (the step before it is
 * still running): it is kept under each match key an event await of that name uses, and an await
 * registered later finds it (see `registerAwait`). Written before the awaits are looked up, so either
 * this delivery finds the await or the await finds this event.
 */
async function keepForLateAwaits(context: NventContext, name: string, data: unknown): Promise<void> {
  const recent: RecentEvent = { data, at: Date.now() }
  for (const matchKey of eventAwaits(context.registry).get(name) ?? []) {
    const value = (data as Record<string, unknown> | null)?.[matchKey]
    if (value != null)
      await context.adapters.store.kvSet(recentEventKey(name, matchKey, value), recent, { ttl: RECENT_EVENT_TTL })
  }
}

const awaitedEvents = new WeakMap<Registry, Map<string, Set<string>>>()

/**
 * The events the registry's flows await, each with the match keys its awaits use. Read once per
 * registry: every event delivery asks.
 */
export function eventAwaits(registry: Registry): Map<string, Set<string>> {
  let events = awaitedEvents.get(registry)
  if (!events) {
    events = new Map()
    for (const step of Object.values(registry.flows).flatMap(flow => Object.values(flow.steps))) {
      for (const config of [step.awaitBefore, step.awaitAfter]) {
        if (config?.type !== 'event' || !config.event)
          continue
        const keys = events.get(config.event) ?? new Set<string>()
        events.set(config.event, config.match ? keys.add(config.match) : keys)
      }
    }
    awaitedEvents.set(registry, events)
  }
  return events
}

/** The events a completed step committed to its run, as the run records them (the first emit wins). */
export function committedEmits(context: NventContext, run: RunRecord, step: string): EmittedEvent[] {
  const declared = context.registry.flows[run.flowName]?.steps[step]?.emits ?? []
  return declared.filter(name => name in run.emitted).map(name => ({ name, data: run.emitted[name] }))
}

/**
 * Delivers a step's committed emits as events, at least once: the completion, its redelivery and the
 * repair of an await all call this, and the run and event name dedupe what it starts. Only names
 * something listens for are delivered.
 */
export async function deliverEmits(context: NventContext, run: RunRecord, emits: EmittedEvent[]): Promise<void> {
  const book = context.triggerBook
  for (const emit of emits) {
    if (await book.listensFor(emit.name))
      await deliverEvent(context, book, emit.name, emit.data, `${run.id}:${emit.name}`)
  }
}

export function createEventApi(context: NventContext): EventApi {
  return { emit: async (name, data) => deliverEvent(context, context.triggerBook, name, checkedInput(data ?? null, `the data of event "${name}"`)) }
}
