/** What DevTools may do: each action checks its arguments and goes through the public API the app uses. */
import { openAwaitOf } from '../engine/await-transitions'
import { NventError } from '../errors'
import type { MonitorActions } from '../types/monitor'
import type { MonitorDeps } from './deps'
import { stringArg } from './deps'
import { knownQueue } from './queues'

export function createActions(deps: MonitorDeps): MonitorActions {
  const { flow, triggers, awaits, queue } = deps
  return {
    startFlow: (flowName, input) => flow.start(stringArg('flowName', flowName), input),
    fireTrigger: (name, data) => triggers.fire(stringArg('trigger', name), data),
    enableTrigger: name => triggers.enable(stringArg('trigger', name)),
    disableTrigger: name => triggers.disable(stringArg('trigger', name)),
    resolveAwait: (runId, step, payload) => awaits.resolve(stringArg('runId', runId), stringArg('step', step), payload),
    // An empty reason box means no reason.
    rejectAwait: (runId, step, reason) => awaits.reject(stringArg('runId', runId), stringArg('step', step), reason === undefined || reason === '' ? undefined : stringArg('reason', reason)),
    async resumeAwait(runId, step) {
      const run = await flow.getRun(stringArg('runId', runId))
      const open = run && openAwaitOf(run, stringArg('step', step))
      if (!open)
        return false
      if (open.type !== 'time')
        throw new NventError(`nvent: monitor: step "${step}" of run "${runId}" waits for a ${open.type}, not for time: resolve or reject it instead`, 409)
      return awaits.resolve(runId, step)
    },
    cancelRun: runId => flow.cancel(stringArg('runId', runId)),
    rerun: (runId, input) => flow.rerun(stringArg('runId', runId), input === undefined ? {} : { input }),
    rerunFromFailedStep: runId => flow.rerun(stringArg('runId', runId), { fromFailedStep: true }),
    retryJob: (name, jobId) => queue.retryJob(knownQueue(deps, name), stringArg('jobId', jobId)),
    removeJob: (name, jobId) => queue.removeJob(knownQueue(deps, name), stringArg('jobId', jobId)),
    pauseQueue: name => queue.pause(knownQueue(deps, name)),
    resumeQueue: name => queue.resume(knownQueue(deps, name)),
  }
}
