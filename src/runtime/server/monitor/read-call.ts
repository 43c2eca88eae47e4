/**
 * A monitor read called from an HTTP query string: the one place where text parameters become the typed
 * arguments of each read. Anything else is refused with a 4xx naming the parameter.
 */
import { NventError } from '../../errors'
import type { MonitorReads } from '../../types/monitor'
import { MONITOR_READ_PARAMS, MONITOR_READS } from '../../types/monitor'

type Query = Record<string, string | undefined>

/** A whole number parameter, or a 400 naming it. */
function integer(query: Query, name: string): number | undefined {
  const text = query[name]
  if (text === undefined)
    return undefined
  if (!/^-?\d{1,16}$/.test(text))
    throw new NventError(`nvent: monitor: query parameter "${name}" must be a whole number, got ${JSON.stringify(text)}`, 400)
  return Number(text)
}

/** Each read from its query: `lead` is its leading argument, the parameter `MONITOR_READ_PARAMS` names. */
const calls: { [Read in keyof MonitorReads]: (reads: MonitorReads, query: Query, lead: string) => ReturnType<MonitorReads[Read]> } = {
  overview: reads => reads.overview(),
  flows: reads => reads.flows(),
  runs: (reads, q) => reads.runs({ flow: q.flow, status: q.status as never, idPrefix: q.idPrefix, from: integer(q, 'from'), to: integer(q, 'to'), limit: integer(q, 'limit'), cursor: q.cursor }),
  run: (reads, _, runId) => reads.run(runId),
  events: (reads, q, runId) => reads.events(runId, { after: q.after, limit: integer(q, 'limit') }),
  logs: (reads, q, runId) => reads.logs(runId, { level: q.level as never, after: q.after, limit: integer(q, 'limit') }),
  state: (reads, _, runId) => reads.state(runId),
  queues: reads => reads.queues(),
  jobs: (reads, q, queue) => reads.jobs(queue, { state: q.state as never, limit: integer(q, 'limit'), offset: integer(q, 'offset') }),
  triggers: reads => reads.triggers(),
  triggerHistory: (reads, q, name) => reads.triggerHistory(name, { before: q.before, limit: integer(q, 'limit') }),
  awaits: (reads, _, flow) => reads.awaits(flow),
}

export function isRead(name: string): name is keyof MonitorReads {
  return (MONITOR_READS as readonly string[]).includes(name)
}

/** Calls the read `name` with the arguments in `query`; a missing run is a 404. */
export async function callRead(reads: MonitorReads, name: string, query: Query): Promise<unknown> {
  if (!isRead(name))
    throw new NventError(`nvent: monitor: no read "${name}" (reads: ${MONITOR_READS.join(', ')})`, 404)
  const lead = MONITOR_READ_PARAMS[name]
  // Left undefined when absent: each read names a missing argument itself.
  const result = await calls[name](reads, query, (lead && query[lead]) as string)
  if (result === null)
    throw new NventError(`nvent: monitor: no run ${JSON.stringify(query.runId)}`, 404)
  return result
}
