/**
 * The side effects of an await once its transition is committed: a durable timer, the index entry that
 * lets a webhook or an event find it, and the `onAwaitRegister` hook. Each is idempotent, so registering
 * again after a redelivery changes nothing (the hook may run again: it is at-least-once).
 */
import type { AwaitInfo } from '../types/await'
import type { RunRecord, StepAwait } from '../types/run'
import type { Engine } from '../engine/engine'
import type { AwaitRef, RecentEvent } from './await-keys'
import { awaitToken, awaitUrl, eventKey, recentEventKey, tokenKey } from './await-keys'
import { endAwaitAndSettle } from './await-end'
import { callAwaitHook } from './hooks'
import { armTimer } from './timers'

/** What hooks and the awaits API show of an await; `url` carries the token that resolves it. */
export async function awaitInfo(engine: Engine, run: RunRecord, step: string, open: StepAwait): Promise<AwaitInfo> {
  const ref = { runId: run.id, step, phase: open.phase }
  return {
    ...ref,
    flowName: run.flowName,
    type: open.type,
    registeredAt: open.registeredAt,
    ...(open.resumeAt !== undefined && { resumeAt: open.resumeAt }),
    ...(open.deadline !== undefined && { deadline: open.deadline }),
    ...(open.type === 'webhook' && { url: awaitUrl(engine, await awaitToken(engine, ref)) }),
    ...(open.event && { event: open.event, matchValue: open.matchValue }),
  }
}

/**
 * Makes an open await findable and its timers durable. `hook: false` re-registers without calling
 * `onAwaitRegister` again (the periodic repair of awaits whose registration may have been cut short).
 */
export async function registerAwait(engine: Engine, run: RunRecord, step: string, options: { hook: boolean } = { hook: true }): Promise<void> {
  const open = run.steps[step]?.await
  if (run.status !== 'running' || !open || open.outcome)
    return
  const ref: AwaitRef = { runId: run.id, step, phase: open.phase }
  const { store } = engine.adapters
  if (open.type === 'time')
    await armTimer(engine, { kind: 'resume', ...ref, at: open.resumeAt ?? Date.now() })
  if (open.type === 'webhook') {
    const method = engine.registry.flows[run.flowName]?.steps[step]?.[open.phase === 'before' ? 'awaitBefore' : 'awaitAfter']?.method ?? 'POST'
    await store.kvSet(tokenKey(await awaitToken(engine, ref)), { ...ref, method })
  }
  if (open.event)
    await store.kvSet(eventKey(open.event, ref), { ...ref, matchKey: open.matchKey, matchValue: open.matchValue })
  if (open.deadline !== undefined)
    await armTimer(engine, { kind: 'timeout', ...ref, at: open.deadline })
  if (options.hook) {
    const info = await awaitInfo(engine, run, step, open)
    await callAwaitHook(engine, 'onAwaitRegister', info, info.url)
  }
  if (open.event && open.matchKey && open.matchValue != null) {
    // The event may have come while the run was on its way here; one since the run started resolves it.
    const recent = await store.kvGet<RecentEvent>(recentEventKey(open.event, open.matchKey, open.matchValue))
    if (recent && recent.at >= run.createdAt)
      await endAwaitAndSettle(engine, run.id, step, open.phase, { outcome: 'resolved', payload: recent.data })
  }
}

/**
 * A run that ended (canceled, failed) while steps were awaiting leaves those awaits open in its record:
 * remove their index entries, so tokens and event subscriptions of finished runs do not pile up.
 */
export async function releaseAwaits(engine: Engine, run: RunRecord): Promise<void> {
  for (const [step, record] of Object.entries(run.steps)) {
    if (record.status === 'canceled' && record.await && !record.await.outcome)
      await unregisterAwait(engine, run, step, record.await)
  }
}

/** Removes an ended await's index entries, so no webhook or event finds it again. */
export async function unregisterAwait(engine: Engine, run: RunRecord, step: string, open: StepAwait): Promise<void> {
  const ref: AwaitRef = { runId: run.id, step, phase: open.phase }
  if (open.type === 'webhook')
    await engine.adapters.store.kvDelete(tokenKey(await awaitToken(engine, ref)))
  if (open.event)
    await engine.adapters.store.kvDelete(eventKey(open.event, ref))
}
