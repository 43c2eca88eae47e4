/** Reading cron expressions with croner: validation and the next tick, shared by the API and the scheduler. */
import { Cron } from 'croner'
import type { TriggerSettings } from '../types/trigger'

/** A paused croner job for the settings; throws croner's message when the expression or zone is bad. */
export function cronOf(config: TriggerSettings): Cron {
  if (!config.cron)
    throw new Error('a time trigger needs config.cron')
  return new Cron(config.cron, { paused: true, unref: true, ...(config.timezone && { timezone: config.timezone }) })
}

export function nextFireAt(config: TriggerSettings): number | undefined {
  try {
    return cronOf(config).nextRun()?.getTime()
  }
  catch {
    return undefined
  }
}
