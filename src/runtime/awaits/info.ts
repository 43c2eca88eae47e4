/** How an await shows (hooks, the awaits API) and how its index entries go once it ended. */
import type { NventContext } from '../engine/nvent-context'
import type { AwaitInfo, AwaitRef } from '../types/await'
import type { RunRecord, StepAwait } from '../types/run'
import { awaitToken, awaitUrl, eventKey, tokenKey } from './keys'

/** What hooks and the awaits API show of an await; `url` carries the token that resolves it. */
export async function awaitInfo(context: NventContext, run: RunRecord, step: string, open: StepAwait): Promise<AwaitInfo> {
  const ref = { runId: run.id, step, phase: open.phase }
  return {
    ...ref,
    flowName: run.flowName,
    type: open.type,
    registeredAt: open.registeredAt,
    ...(open.resumeAt !== undefined && { resumeAt: open.resumeAt }),
    ...(open.deadline !== undefined && { deadline: open.deadline }),
    ...(open.type === 'webhook' && { url: awaitUrl(context, await awaitToken(context, ref)) }),
    ...(open.event && { event: open.event, matchValue: open.matchValue }),
  }
}

/** Removes an ended await's index entries, so no webhook or event finds it again. */
export async function unregisterAwait(context: NventContext, run: RunRecord, step: string, open: StepAwait): Promise<void> {
  const ref: AwaitRef = { runId: run.id, step, phase: open.phase }
  if (open.type === 'webhook')
    await context.adapters.store.kvDelete(tokenKey(await awaitToken(context, ref)))
  if (open.event)
    await context.adapters.store.kvDelete(eventKey(open.event, ref))
}
