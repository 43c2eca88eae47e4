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
import { RERUNNABLE_FROM_FAILED, createRerun } from './rerun'
import { copyRunState } from './run-scan'
import { endRun, settleEnded, settleSteps } from './settle'
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
      publishEvents(context, recorded)
      await settleSteps(context, run, [flow.entry])
      return { runId: run.id }
    },
    async cancel(runId) {
      return Boolean(await endRun(context, runId, run => cancelRun(run, Date.now()), 'run canceled'))
    },
    async rerun(runId, options = {}) {
      const { input, fromFailedStep = false } = options
      if (fromFailedStep && input !== undefined)
        throw new NventError('nvent: a rerun from the failed step takes no input (its completed steps ran on the original input); rerun without fromFailedStep to change it', 400)
      const original = await store.getRun(runId)
      if (!original)
        throw new NventError(`nvent: unknown run "${runId}"`, 404)
      const flow = flowOf(original.flowName)
      if (fromFailedStep && !RERUNNABLE_FROM_FAILED.includes(original.status))
        throw new NventError(`nvent: run "${runId}" is ${original.status}: only a run that ended without completing (${RERUNNABLE_FROM_FAILED.join(', ')}) can be rerun from its failed step`, 409)
      if (input !== undefined)
        checkRunInput(flow.name, input)
      const { run, events } = createRerun(original, flow, randomUUID(), input === undefined ? original.input : input, fromFailedStep, Date.now())
      // The steps that run again may read what the reused ones kept in the run's state: copied before
      // the run exists, so no step of it can start without.
      if (fromFailedStep)
        await copyRunState(store, original.id, run.id)
      const recorded = await store.createRun(run, events)
      if (!recorded)
        throw new Error(`nvent: run id collision for flow "${flow.name}"`)
      publishEvents(context, recorded)
      // What it activated; a rerun that found nothing to activate completed as it was created.
      await settleSteps(context, run, Object.keys(run.steps))
      if (run.status === 'completed')
        await settleEnded(context, run, 'run completed')
      return { runId: run.id }
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
