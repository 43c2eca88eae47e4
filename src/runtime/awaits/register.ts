/**
 * The side effects of an await once its transition is committed: a durable timer, the index entry that
 * lets a webhook or an event find it, and the `onAwaitRegister` hook. Each is idempotent, so registering
 * again after a redelivery changes nothing (the hook may run again: it is at-least-once).
 */
import type { RunRecord, StepAwait } from '../types/run'
import type { NventContext } from '../engine/nvent-context'
import type { AwaitRef } from '../types/await'
import type { RecentEvent } from './keys'
import { awaitToken, eventKey, recentEventKey, tokenKey } from './keys'
import { awaitInfo, unregisterAwait } from './info'
import { endAwaitAndSettle } from './end'
import { callAwaitHook } from './hooks'
import { armTimer } from './timers'

/**
 * Makes an open await findable and its timers durable. `hook: false` re-registers without calling
 * `onAwaitRegister` again (the periodic repair of awaits whose registration may have been cut short).
 */
export async function registerAwait(context: NventContext, run: RunRecord, step: string, options: { hook: boolean } = { hook: true }): Promise<void> {
  const open = run.steps[step]?.await
  if (run.status !== 'running' || !open || open.outcome)
    return
  const ref: AwaitRef = { runId: run.id, step, phase: open.phase }
  const { store } = context.adapters
  if (open.type === 'time')
    await armTimer(context, { kind: 'resume', ...ref, at: open.resumeAt ?? Date.now() })
  if (open.type === 'webhook') {
    const method = context.registry.flows[run.flowName]?.steps[step]?.[open.phase === 'before' ? 'awaitBefore' : 'awaitAfter']?.method ?? 'POST'
    await store.kvSet(tokenKey(await awaitToken(context, ref)), { ...ref, method })
  }
  if (open.event)
    await store.kvSet(eventKey(open.event, ref), { ...ref, matchKey: open.matchKey, matchValue: open.matchValue })
  if (open.deadline !== undefined)
    await armTimer(context, { kind: 'timeout', ...ref, at: open.deadline })
  if (options.hook) {
    const info = await awaitInfo(context, run, step, open)
    await callAwaitHook(context, 'onAwaitRegister', info, info.url)
  }
  if (open.event && open.matchKey && open.matchValue != null) {
    // The event may have come while the run was on its way here; one since the run started resolves it.
    const recent = await store.kvGet<RecentEvent>(recentEventKey(open.event, open.matchKey, open.matchValue))
    if (recent && recent.at >= run.createdAt)
      await endAwaitAndSettle(context, run.id, step, open.phase, { outcome: 'resolved', payload: recent.data })
  }
}

/**
 * A run that ended (canceled, failed) while steps were awaiting leaves those awaits open in its record:
 * remove their index entries, so tokens and event subscriptions of finished runs do not pile up.
 */
export async function releaseAwaits(context: NventContext, run: RunRecord): Promise<void> {
  for (const [step, record] of Object.entries(run.steps)) {
    if (record.status === 'canceled' && record.await && !record.await.outcome)
      await unregisterAwait(context, run, step, record.await)
  }
}
