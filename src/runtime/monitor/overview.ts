/** The overview: run counters from the store, starts and ends per minute, queue backlog. */
import type { RunCounts, RunMinute } from '../contracts/store'
import { emptyMinute, MINUTE, minuteOf } from '../contracts/store'
import type { MonitorOverview } from '../types/monitor'
import type { MonitorDeps } from './deps'
import { queueSummaries } from './queues'

const HOUR_MINUTES = 60

export async function overview(deps: MonitorDeps): Promise<MonitorOverview> {
  const since = minuteOf(Date.now()) - (HOUR_MINUTES - 1) * MINUTE
  const [stats, queues] = await Promise.all([deps.context.adapters.store.runStats(since), queueSummaries(deps)])
  return {
    flows: stats.flows,
    totals: sumCounts(Object.values(stats.flows)),
    minutes: everyMinute(since, stats.minutes),
    queues,
    backlog: queues.reduce((sum, queue) => sum + queue.counts.waiting + queue.counts.delayed, 0),
  }
}

function sumCounts(flows: RunCounts[]): RunCounts {
  const totals: RunCounts = {}
  for (const counts of flows) {
    for (const [key, count] of Object.entries(counts) as [keyof RunCounts, number][])
      totals[key] = (totals[key] ?? 0) + count
  }
  return totals
}

/** The store lists only minutes with activity; a chart wants every minute of the hour. */
function everyMinute(since: number, active: RunMinute[]): RunMinute[] {
  const byMinute = new Map(active.map(minute => [minute.minute, minute]))
  return Array.from({ length: HOUR_MINUTES }, (_, i) => {
    const minute = since + i * MINUTE
    return byMinute.get(minute) ?? emptyMinute(minute)
  })
}
