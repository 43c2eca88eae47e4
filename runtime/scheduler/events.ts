/**
 * Events from outside a run (`useNvent().events.emit`) and emits committed inside one: both start the
 * flows subscribed through an `event` trigger and resolve the event awaits they match.
 */
import { isDeepStrictEqual } from 'node:util'
import type { RunEvent, RunRecord } from '../types/run'
import type { Engine } from '../engine/engine'
import type { AwaitRef, EventAwaitRef } from './await-keys'
import { eventKeyPrefix } from './await-keys'
import { endAwaitAndSettle } from './await-end'
import type { TriggerBook } from './trigger-book'

export interface EventApi {
  /** Starts the flows an `event` trigger of that name subscribes, and resolves the awaits it matches. */
  emit(name: string, data?: unknown): Promise<EventDelivery>
}

export interface EventDelivery {
  runIds: string[]
  resolved: AwaitRef[]
}

function matches(ref: EventAwaitRef, data: unknown): boolean {
  if (!ref.matchKey)
    return true
  const value = (data as Record<string, unknown> | null)?.[ref.matchKey]
  return isDeepStrictEqual(value ?? null, ref.matchValue ?? null)
}

export async function deliverEvent(engine: Engine, book: TriggerBook, name: string, data: unknown): Promise<EventDelivery> {
  const runIds: string[] = []
  const trigger = await book.get(name)
  if (trigger?.type === 'event' && trigger.enabled)
    runIds.push(...(await book.fire(name, data, 'event')).runIds)
  const resolved: AwaitRef[] = []
  for (const { value: ref } of await engine.adapters.store.kvEntries<EventAwaitRef>(eventKeyPrefix(name))) {
    if (!matches(ref, data))
      continue
    const ended = await endAwaitAndSettle(engine, ref.runId, ref.step, ref.phase, { outcome: 'resolved', payload: data })
    if (ended)
      resolved.push({ runId: ref.runId, step: ref.step, phase: ref.phase })
  }
  return { runIds, resolved }
}

/**
 * Delivers a step's committed emits as events. Only names something listens for are delivered, each
 * once per run: a claim in the store keeps a redelivered completion from starting a flow twice.
 */
export async function deliverEmits(engine: Engine, run: RunRecord, events: RunEvent[]): Promise<void> {
  const book = engine.triggerBook
  for (const event of events) {
    const emit = event.data as { name: string, payload: unknown, duplicate?: boolean }
    if (event.type !== 'emit' || emit.duplicate || !(await book.listensFor(emit.name)))
      continue
    if (await engine.adapters.store.kvClaim(`event:emit:${run.id}:${emit.name}`, engine.instanceId, { ttl: 7 * 24 * 3600_000 }))
      await deliverEvent(engine, book, emit.name, emit.payload)
  }
}

export function createEventApi(engine: Engine): EventApi {
  return { emit: (name, data) => deliverEvent(engine, engine.triggerBook, name, data ?? null) }
}
