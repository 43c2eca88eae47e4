/**
 * The signature of a request to a signed webhook trigger, sent in the `webhooks.signatureHeader` header:
 * `t=<unix seconds>,sha256=<hex>`, where `<hex>` is the HMAC-SHA256 of `<t>.<raw body>` under the
 * trigger's secret. The time is signed with the body, so nvent refuses a request sent again after
 * `webhooks.tolerance` and remembers those within it: a signed delivery starts its runs once. This file
 * needs only node:crypto, so a sender can import `signWebhook` from `nvent/runtime/webhooks/signature.ts`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** A signature header, read. */
export interface WebhookSignature {
  /** Unix seconds the sender signed at. */
  timestamp: number
  /** The HMAC, lowercase hex; it also identifies the delivery. */
  hex: string
}

function hmac(secret: string, rawBody: string | Uint8Array, timestamp: number): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest()
}

/**
 * The signature header value for `rawBody` (the exact bytes sent), signed at `timestamp` in unix seconds.
 * @default timestamp now
 */
export function signWebhook(secret: string, rawBody: string | Uint8Array, timestamp = Math.floor(Date.now() / 1000)): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new TypeError(`nvent: a webhook signature's timestamp is whole unix seconds, got ${timestamp}`)
  return `t=${timestamp},sha256=${hmac(secret, rawBody, timestamp).toString('hex')}`
}

const SIGNATURE = /^t=(\d{1,12}),sha256=([0-9a-f]{64})$/i

/** The header read, or undefined when it is missing or not of the form `t=<unix seconds>,sha256=<64 hex>`. */
export function parseWebhookSignature(header: string | undefined): WebhookSignature | undefined {
  const match = SIGNATURE.exec(header?.replace(/\s+/g, '') ?? '')
  return match ? { timestamp: Number(match[1]), hex: match[2]!.toLowerCase() } : undefined
}

/** Whether `signature` is the HMAC of its timestamp and `rawBody` under `secret` (compared in constant time). */
export function signatureMatches(secret: string, rawBody: Uint8Array, signature: WebhookSignature): boolean {
  return timingSafeEqual(hmac(secret, rawBody, signature.timestamp), Buffer.from(signature.hex, 'hex'))
}
