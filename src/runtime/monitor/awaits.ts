/** Open awaits, as the monitor shows them: that a step waits and until when, never how to resolve it. */
import type { AwaitInfo } from '../types/await'
import type { AwaitView } from '../types/monitor'
import type { MonitorDeps } from './deps'

/** Picks fields one by one: a webhook await's `url` carries the token that resolves it. */
function view(info: AwaitInfo): AwaitView {
  return {
    runId: info.runId,
    flowName: info.flowName,
    step: info.step,
    phase: info.phase,
    type: info.type,
    since: info.registeredAt,
    ...(info.resumeAt !== undefined && { resumeAt: info.resumeAt }),
    ...(info.deadline !== undefined && { deadline: info.deadline }),
    ...(info.event && { event: info.event }),
  }
}

export async function openAwaits({ awaits }: MonitorDeps, flowName?: string): Promise<AwaitView[]> {
  return (await awaits.list(flowName)).map(view)
}
