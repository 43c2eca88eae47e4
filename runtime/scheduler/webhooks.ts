/**
 * What the two webhook routes do, apart from HTTP: check a trigger request (signature, body) and fire it,
 * or resolve the await a token names. Every refusal says why and starts nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { consola } from 'consola'
import type { Engine } from '../engine/engine'
import type { AwaitRef } from './await-keys'
import { tokenKey } from './await-keys'
import { endAwaitAndSettle, resettleAwait } from './await-end'
import { TriggerError } from './trigger-book'

export interface WebhookAnswer {
  status: number
  body: Record<string, unknown>
}

export interface WebhookApi {
  /** A request to `{path}/webhook/:trigger`: `raw` is its body, `signature` the signature header. */
  trigger(name: string, raw: Buffer, signature: string | undefined): Promise<WebhookAnswer>
  /** A request to `{path}/await/:token`; `query` is the payload of a GET. */
  await(token: string, method: string, raw: Buffer, query: Record<string, unknown>): Promise<WebhookAnswer>
}

const refuse = (status: number, error: string): WebhookAnswer => ({ status, body: { error } })

/** The body as JSON; an empty body is `null`. */
function parseBody(raw: Buffer): { data: unknown } | { error: string } {
  if (raw.length === 0)
    return { data: null }
  try {
    return { data: JSON.parse(raw.toString('utf8')) }
  }
  catch (error) {
    return { error: `body is not valid JSON: ${(error as Error).message}` }
  }
}

/** Whether `header` is `sha256=<hex>` of the HMAC-SHA256 of `raw` under `secret`. */
export function signatureMatches(raw: Buffer, secret: string, header: string | undefined): boolean {
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')?.[1]
  if (!given)
    return false
  const expected = createHmac('sha256', secret).update(raw).digest()
  return timingSafeEqual(expected, Buffer.from(given, 'hex'))
}

export function createWebhookApi(engine: Engine): WebhookApi {
  const book = engine.triggerBook
  const { signatureHeader } = engine.options.webhooks
  return {
    async trigger(name, raw, signature) {
      const trigger = await book.get(name)
      // Callers learn nothing about triggers of other types: to them, those do not exist.
      if (trigger?.type !== 'webhook')
        return refuse(404, `no webhook trigger named "${name}"`)
      if (!trigger.enabled)
        return refuse(409, `trigger "${name}" is disabled`)
      const secret = trigger.config.secret ?? (trigger.config.secretEnv ? process.env[trigger.config.secretEnv] : undefined)
      if (trigger.config.secretEnv && !secret) {
        consola.withTag('nvent').error(`webhook trigger "${name}" is signed with the secret in ${trigger.config.secretEnv}, which is not set on this server`)
        return refuse(500, `trigger "${name}" is not configured on this server`)
      }
      if (secret && !signatureMatches(raw, secret, signature))
        return refuse(401, signature ? `the ${signatureHeader} header does not match the body` : `the ${signatureHeader} header is missing`)
      const parsed = parseBody(raw)
      if ('error' in parsed)
        return refuse(400, parsed.error)
      try {
        const firing = await book.fire(name, parsed.data, 'webhook')
        return { status: 202, body: { trigger: name, runIds: firing.runIds } }
      }
      catch (error) {
        if (error instanceof TriggerError)
          return refuse(error.status, error.message)
        throw error
      }
    },
    async await(token, method, raw, query) {
      const ref = await engine.adapters.store.kvGet<AwaitRef & { method: string }>(tokenKey(token))
      if (!ref)
        return refuse(404, 'unknown or expired await token')
      if (method.toUpperCase() !== ref.method)
        return refuse(405, `this await answers ${ref.method}, not ${method.toUpperCase()}`)
      const parsed = method.toUpperCase() === 'GET' ? { data: query } : parseBody(raw)
      if ('error' in parsed)
        return refuse(400, parsed.error)
      const run = await endAwaitAndSettle(engine, ref.runId, ref.step, ref.phase, { outcome: 'resolved', payload: parsed.data })
      if (!run) {
        // Its index entry outlived the ending, so the process that ended it may have stopped: finish that.
        await resettleAwait(engine, ref.runId, ref.step)
        return refuse(409, 'this await has already ended')
      }
      return { status: 202, body: { runId: ref.runId, step: ref.step } }
    },
  }
}
