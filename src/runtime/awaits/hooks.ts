/** Calls the await hooks a step's function file exports. A failing hook is logged, never fails the run. */
import { consola } from 'consola'
import type { AwaitHookContext, AwaitHooks, AwaitInfo } from '../types/await'
import type { NventContext } from '../engine/nvent-context'
import { redact, writeLog } from '../engine/run-log'

const logger = consola.withTag('nvent')

/** A hook still running after this long is left to finish on its own: a step job or a webhook answer waits no longer. */
const HOOK_TIMEOUT = 30_000

function hookContext(context: NventContext, info: AwaitInfo): AwaitHookContext {
  const { runId, flowName, step } = info
  return {
    runId,
    flowName,
    step,
    logger: {
      log(level, message, meta) {
        writeLog(context, `${flowName}/${step}`, { level, message, meta }, { runId, flowName, step })
          .catch(error => logger.warn('nvent could not record a hook log:', error))
      },
    },
  }
}

/** Runs hook `name` of the step's function, if it exports one. */
export async function callAwaitHook<K extends keyof AwaitHooks>(context: NventContext, name: K, info: AwaitInfo, ...args: unknown[]): Promise<void> {
  const functionId = context.registry.flows[info.flowName]?.steps[info.step]?.functionId
  const hook = functionId ? context.hooks[functionId]?.[name] : undefined
  if (!hook)
    return
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn(`${name} hook of ${info.flowName}/${info.step} is still running after ${HOOK_TIMEOUT} ms; going on without it`)
      resolve()
    }, HOOK_TIMEOUT)
  })
  try {
    await Promise.race([Promise.resolve().then(() => (hook as (...all: unknown[]) => unknown)(...args, info, hookContext(context, info))), timeout])
  }
  catch (error) {
    // A hook that fails to pass its URL on may well say which URL it was.
    logger.error(`${name} hook of ${info.flowName}/${info.step} failed:`, redact(context, error))
  }
  finally {
    clearTimeout(timer)
  }
}
