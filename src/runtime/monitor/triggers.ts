/** Triggers as the monitor lists them: the trigger API's view, which never holds a secret. */
import type { LogPage } from '../contracts/store'
import { NventError } from '../errors'
import type { TriggerFiring } from '../types/trigger'
import type { MonitorDeps } from './deps'
import { limitArg, stringArg } from './deps'

export async function triggerHistory({ triggers }: MonitorDeps, name: string, options: { before?: string, limit?: number } = {}): Promise<LogPage<TriggerFiring>> {
  if (!await triggers.get(stringArg('trigger', name)))
    throw new NventError(`nvent: monitor: unknown trigger ${JSON.stringify(name)}`, 404)
  return triggers.history(name, { before: options.before, limit: limitArg(options.limit, 50) })
}
