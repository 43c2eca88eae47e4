/**
 * The monitoring API (`useNvent().monitor`): reads, actions and the live subscription behind the
 * DevTools tab and the dashboard. The transports only carry it; nothing here knows about them.
 */
import type { MonitorApi } from '../types/monitor'
import { createActions } from './actions'
import { openAwaits } from './awaits'
import type { MonitorDeps } from './deps'
import { flowGraphs } from './flows'
import { createLive } from './live'
import { overview } from './overview'
import { jobs, queueSummaries } from './queues'
import { events, logs, state } from './run-events'
import { runDetail, runs } from './runs'
import { triggerHistory } from './triggers'

export type { MonitorDeps } from './deps'

/** The monitor, and `close` for the engine's close (it ends the live subscription). */
export function createMonitor(deps: MonitorDeps): { monitor: MonitorApi, close(): Promise<void> } {
  const { live, close } = createLive(deps)
  const monitor: MonitorApi = {
    overview: () => overview(deps),
    flows: () => flowGraphs(deps),
    runs: query => runs(deps, query),
    run: runId => runDetail(deps, runId),
    events: (runId, options) => events(deps, runId, options),
    logs: (runId, query) => logs(deps, runId, query),
    state: runId => state(deps, runId),
    queues: () => queueSummaries(deps),
    jobs: (queue, options) => jobs(deps, queue, options),
    triggers: () => deps.triggers.list(),
    triggerHistory: (name, options) => triggerHistory(deps, name, options),
    awaits: flowName => openAwaits(deps, flowName),
    ...createActions(deps),
    ...live,
  }
  return { monitor, close }
}
