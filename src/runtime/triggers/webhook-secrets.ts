/** The secret a webhook trigger's requests are signed with, and the warning for one this server lacks. */
import { consola } from 'consola'
import type { NventContext } from '../engine/nvent-context'
import type { TriggerRecord } from '../types/trigger'

/** A signed trigger's secret, or the environment variable that should hold it but is not set here. */
export type WebhookSecret = { secret: string } | { unsetEnv: string }

/**
 * The secret requests to `trigger` must be signed with: `config.secret` (given at runtime), else the
 * variable `config.secretEnv` names. Undefined for a trigger with neither: its webhook is public.
 */
export function webhookSecret(trigger: Pick<TriggerRecord, 'config'>): WebhookSecret | undefined {
  const { secret, secretEnv } = trigger.config
  if (secret)
    return { secret }
  if (!secretEnv)
    return undefined
  const fromEnv = process.env[secretEnv]
  return fromEnv ? { secret: fromEnv } : { unsetEnv: secretEnv }
}

/**
 * Warns once, at server start, about each webhook trigger whose secret variable is not set on this
 * server: its requests cannot be checked, so none can start a run until it is.
 */
export async function warnUnsetWebhookSecrets(context: NventContext): Promise<void> {
  const logger = consola.withTag('nvent')
  // Only a warning: a store that cannot list triggers now must not keep the server from starting.
  const triggers = await context.triggerBook.all().catch((error: unknown) => {
    logger.warn(`could not check the secrets of webhook triggers at start: ${(error as Error).message}`)
    return []
  })
  for (const trigger of triggers) {
    const secret = trigger.type === 'webhook' ? webhookSecret(trigger) : undefined
    if (secret && 'unsetEnv' in secret)
      logger.warn(`webhook trigger "${trigger.name}" is signed with the secret in ${secret.unsetEnv}, which is not set on this server: its requests are refused until it is`)
  }
}
