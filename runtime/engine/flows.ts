/** The flow half of the public API: start, cancel and read runs. */
import { randomUUID } from 'node:crypto'
import type { RunQuery } from '../contracts/store'
import type { FlowApi, StartOptions } from '../types/flow'
import type { RunRecord } from '../types/run'
import { NventError } from '../errors'
import { checkRunInput } from '../json-limits'
import type { NventContext } from './nvent-context'
import { publishEvents } from './nvent-context'
import { derivedRunId } from './run-id'
import { endRun, settleSteps } from './settle'
import { cancelRun, createRun } from './transitions'

/** The longest idempotency key `flow.start` takes. */
const MAX_IDEMPOTENCY_KEY = 200

export function createFlowApi(context: NventContext): FlowApi {
  const { store } = context.adapters

  function flowOf(name: string) {
    const flow = context.registry.flows[name]
    if (!flow)
      throw new NventError(`nvent: unknown flow "${name}" (known flows: ${Object.keys(context.registry.flows).join(', ') || 'none'})`, 404)
    return flow
  }

  function runIdOf(name: string, options: StartOptions = {}): string {
    const key = options.idempotencyKey
    if (key === undefined)
      return options.runId ?? randomUUID()
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY)
      throw new NventError(`nvent: the idempotency key must be a string of 1 to ${MAX_IDEMPOTENCY_KEY} characters (found ${typeof key === 'string' ? `${key.length} characters` : typeof key})`, 400)
    return derivedRunId(`start\0${name}\0${key}`)
  }

  const api: FlowApi = {
    async start(name, input, options) {
      checkRunInput(name, input, options)
      const flow = flowOf(name)
      const { run, events } = createRun(flow, runIdOf(name, options), input ?? null, Date.now(), options ?? {})
      const recorded = await store.createRun(run, events)
      if (!recorded) {
        const existing = (options?.runId || options?.idempotencyKey) && await store.getRun(run.id)
        if (!existing)
          throw new Error(`nvent: run id collision for flow "${name}"`)
        // Started before, maybe by a process that stopped before enqueueing the entry: settle it again
        // (an await's hook ran, or runs, where the run was created).
        await settleSteps(context, existing, [flow.entry], { hook: false })
        return { runId: existing.id }
      }
      await publishEvents(context, recorded)
      await settleSteps(context, run, [flow.entry])
      return { runId: run.id }
    },
    async cancel(runId) {
      return Boolean(await endRun(context, runId, run => cancelRun(run, Date.now()), 'run canceled'))
    },
    getRun: runId => store.getRun(runId),
    listRuns: (name, query) => store.listRuns({ ...query, flow: name }),
    events: (runId, options) => store.readEvents(runId, options),
    async isRunning(name, runId) {
      if (runId) {
        const run = await store.getRun(runId)
        return run?.flowName === name && run.status === 'running'
      }
      return (await store.listRuns({ flow: name, status: 'running', limit: 1 })).total > 0
    },
    async getRunningFlows(name) {
      const runs: RunRecord[] = []
      let cursor: string | undefined
      do {
        const page = await store.listRuns({ flow: name, status: 'running', limit: 200, cursor })
        runs.push(...page.items)
        cursor = page.cursor
      } while (cursor)
      return runs
    },
  }
  return api
}
