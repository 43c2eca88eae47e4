/**
 * What the two webhook routes do, apart from HTTP: check a trigger request (name, signature, body) and fire
 * it, or resolve the await a token names. Every refusal says why and starts nothing, except to a caller
 * that cannot sign for a signed trigger: whether the trigger is unknown, of another type, disabled or
 * lacking its secret here, or the signature is missing, wrong or expired, it gets the same 404, and only
 * the server log says which it was.
 */
import { consola } from 'consola'
import type { NventContext } from '../engine/nvent-context'
import { hasStatus } from '../errors'
import { inputProblem, quotePath } from '../json-limits'
import type { WebhookSignature } from './signature'
import { parseWebhookSignature, signatureMatches } from './signature'
import type { AwaitRef } from '../types/await'
import type { WebhookAnswer, WebhookApi } from '../types/webhook'
import { awaitOfToken } from '../awaits/keys'
import { endAwaitAndSettle, resettleAwait } from '../awaits/end'
import type { StoredTrigger } from '../triggers/trigger-book'
import { triggerNameProblem } from '../triggers/trigger-name'
import { webhookSecret } from '../triggers/webhook-secrets'

const refuse = (status: number, error: string): WebhookAnswer => ({ status, body: { error } })

/** `data` when nvent takes it as a payload (see json-limits.ts), else the reason, naming where in `what`. */
function checkPayload(data: unknown, what: string): { data: unknown } | { error: string } {
  const problem = inputProblem(data, path => path ? `${quotePath(path)} of ${what}` : what)
  return problem ? { error: problem } : { data }
}

/** The body as JSON nvent takes; an empty body is `null`. */
function parseBody(raw: Buffer): { data: unknown } | { error: string } {
  if (raw.length === 0)
    return { data: null }
  try {
    return checkPayload(JSON.parse(raw.toString('utf8')), 'the body')
  }
  catch (error) {
    return { error: `body is not valid JSON: ${(error as Error).message}` }
  }
}

/** Store key remembering a signed delivery (its HMAC names it) while its timestamp can still be accepted. */
const deliveryKey = (trigger: string, signature: WebhookSignature) => `webhook:delivery:${trigger}:${signature.hex}`

export function createWebhookApi(context: NventContext): WebhookApi {
  const book = context.triggerBook
  const { signatureHeader, tolerance } = context.options.webhooks
  const logger = consola.withTag('nvent')

  /** The one answer for every request that does not prove it may know more; the reason goes to the log. */
  function hidden(name: string, reason: string): WebhookAnswer {
    logger.warn(`webhook request to "${name}" answered 404: ${reason}`)
    return refuse(404, `no webhook trigger "${name}" accepts this request`)
  }

  /**
   * For a signed trigger, the request's signature once it is proven fresh and made with the secret, or
   * the refusal. Only a caller holding the secret hears more than the one 404: that its signature is too
   * old or too new (401), or, when this server lacks the secret, that it cannot check it (503).
   */
  function checkSignature(trigger: StoredTrigger, raw: Buffer, header: string | undefined): WebhookSignature | WebhookAnswer {
    const { name } = trigger
    const secret = webhookSecret(trigger)!
    const signature = parseWebhookSignature(header)
    if (!signature)
      return hidden(name, header ? `the ${signatureHeader} header is not t=<unix seconds>,sha256=<hex>` : `the ${signatureHeader} header is missing`)
    const age = Math.floor(Date.now() / 1000) - signature.timestamp
    const stale = Math.abs(age) > tolerance
    if ('unsetEnv' in secret) {
      if (stale)
        return hidden(name, `its secret (${secret.unsetEnv}) is not set on this server, and the signature's timestamp is ${age} s off`)
      logger.warn(`webhook request to "${name}" answered 503: its secret (${secret.unsetEnv}) is not set on this server`)
      return refuse(503, `webhook trigger "${name}" cannot check signatures on this server: its secret is not set here`)
    }
    if (!signatureMatches(secret.secret, raw, signature))
      return hidden(name, `the ${signatureHeader} signature does not match the body and its timestamp under the trigger's secret`)
    if (stale)
      return refuse(401, `the signature's timestamp is ${Math.abs(age)} s ${age > 0 ? 'old' : 'ahead of this server'}, outside the ${tolerance} s accepted: sign each request (a retry too) when it is sent`)
    return signature
  }

  /**
   * Starts the subscribed runs. A signed delivery is claimed in the store first: the same request sent
   * again (within twice the tolerance, the longest a timestamp stays acceptable) finds the claim, and
   * fires again with the run ids the first one derived from the signature, which start nothing new and
   * name the first delivery's runs (or finish starting them if that delivery was cut short).
   */
  async function fire(name: string, data: unknown, signature: WebhookSignature | undefined): Promise<WebhookAnswer> {
    if (!signature) {
      const firing = await book.fire(name, data, 'webhook')
      return { status: 202, body: { trigger: name, runIds: firing.runIds } }
    }
    const key = deliveryKey(name, signature)
    const first = await context.adapters.store.kvClaim(key, { at: Date.now() }, { ttl: 2 * tolerance * 1000 })
    try {
      const { runIds } = await book.fire(name, data, 'webhook', { dedupe: key, record: first })
      return first ? { status: 202, body: { trigger: name, runIds } } : { status: 200, body: { trigger: name, runIds, duplicate: true } }
    }
    catch (error) {
      // Nothing was recorded, so the sender's retry is the delivery, and is recorded when it succeeds.
      if (first)
        await context.adapters.store.kvDelete(key).catch(() => {})
      throw error
    }
  }

  return {
    async trigger(name, raw, header) {
      const nameProblem = triggerNameProblem(name)
      if (nameProblem)
        return refuse(400, nameProblem)
      const trigger = await book.get(name)
      if (!trigger)
        return hidden(name, 'no trigger has this name')
      if (trigger.type !== 'webhook')
        return hidden(name, `it is a ${trigger.type} trigger, not a webhook`)
      let signature: WebhookSignature | undefined
      if (webhookSecret(trigger)) {
        const checked = checkSignature(trigger, raw, header)
        if ('status' in checked)
          return checked
        signature = checked
      }
      if (!trigger.enabled)
        return refuse(409, `trigger "${name}" is disabled`)
      const parsed = parseBody(raw)
      if ('error' in parsed)
        return refuse(400, parsed.error)
      try {
        return await fire(name, parsed.data, signature)
      }
      catch (error) {
        if (hasStatus(error))
          return refuse(error.status, error.message)
        throw error
      }
    },
    async await(token, method, raw, query) {
      const ref = await awaitOfToken<AwaitRef & { method: string }>(context, token)
      if (!ref)
        return refuse(404, 'unknown or expired await token')
      if (method.toUpperCase() !== ref.method)
        return refuse(405, `this await answers ${ref.method}, not ${method.toUpperCase()}`)
      const parsed = method.toUpperCase() === 'GET' ? checkPayload(query, 'the query') : parseBody(raw)
      if ('error' in parsed)
        return refuse(400, parsed.error)
      const run = await endAwaitAndSettle(context, ref.runId, ref.step, ref.phase, { outcome: 'resolved', payload: parsed.data })
      if (!run) {
        // Its index entry outlived the ending, so the process that ended it may have stopped: finish that.
        await resettleAwait(context, ref.runId, ref.step)
        return refuse(409, 'this await has already ended')
      }
      // The run failed instead of resuming (a deploy removed the awaiting step): say so, not "accepted".
      if (run.status === 'failed' && !run.steps[ref.step]?.await?.outcome)
        return refuse(409, run.error ?? 'the run failed')
      return { status: 202, body: { runId: ref.runId, step: ref.step } }
    },
  }
}
