/**
 * Where awaits are indexed in the store's key space (by webhook token, by the event they wait for), and
 * how a webhook await's token is made: an HMAC of the run, step and phase under the await secret, the one
 * given at runtime or else one the store keeps. Every instance derives the same token, a repair after a
 * crash can re-index it, and no run record or read API ever holds it; the index is keyed by its hash, so
 * not even store keys show it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { AwaitPhase, AwaitRef } from '../types/await'
import type { NventContext } from '../engine/nvent-context'

const SECRET_KEY = 'await:secret'

export const tokenKey = (token: string) => `await:token:${createHash('sha256').update(token).digest('base64url')}`

export const eventKeyPrefix = (event: string) => `await:event:${encodeURIComponent(event)}:`

export const eventKey = (event: string, ref: AwaitRef) =>
  `${eventKeyPrefix(event)}${ref.runId}:${encodeURIComponent(ref.step)}:${ref.phase}`

/** The latest event of a name carrying `value` at `matchKey`, kept a while for awaits not yet registered. */
export const recentEventKey = (event: string, matchKey: string, value: unknown) =>
  `event:recent:${encodeURIComponent(event)}:${encodeURIComponent(matchKey)}:${createHash('sha256').update(JSON.stringify(value)).digest('base64url')}`

/** How long a matched event is kept for an await registered after it arrived. */
export const RECENT_EVENT_TTL = 15 * 60_000

export interface RecentEvent {
  data: unknown
  at: number
}

/** Shortest configured await secret accepted; the stored one is 32 random bytes. */
const MIN_SECRET_LENGTH = 32

/** Throws, naming the setting, when a configured await secret is not a string of at least 32 characters. */
export function checkAwaitSecret(secret: unknown): void {
  if (secret === undefined || (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH))
    return
  // The value itself is never printed: it is a secret, and a short one is still one.
  const found = typeof secret === 'string' ? `${secret.length} characters` : `a ${typeof secret}`
  throw new Error(`nvent: the await secret (runtimeConfig.nvent.awaitSecret, NUXT_NVENT_AWAIT_SECRET) must be a string of at least ${MIN_SECRET_LENGTH} characters, found ${found}; make one with \`openssl rand -base64 32\``)
}

const storedSecrets = new WeakMap<NventContext, Promise<string>>()

/**
 * The secret tokens are keyed by: the configured one, else the app's stored secret, made once by whichever
 * instance claims it first, then read by all.
 */
function awaitSecret(context: NventContext): Promise<string> {
  if (context.secrets.await)
    return Promise.resolve(context.secrets.await)
  let secret = storedSecrets.get(context)
  if (!secret) {
    const { store } = context.adapters
    secret = store.kvClaim(SECRET_KEY, randomBytes(32).toString('base64url'))
      .then(() => store.kvGet<string>(SECRET_KEY))
      .then(value => value ?? Promise.reject(new Error('nvent: the await secret is missing from the store')))
    secret.catch(() => storedSecrets.delete(context))
    storedSecrets.set(context, secret)
  }
  return secret
}

/** A webhook await's token: 32 base64url characters of the HMAC of its run, step and phase. */
export async function awaitToken(context: NventContext, ref: AwaitRef): Promise<string> {
  const secret = await awaitSecret(context)
  return createHmac('sha256', secret).update(`${ref.runId}\0${ref.step}\0${ref.phase}`).digest('base64url').slice(0, 32)
}

/**
 * The await `token` names, if it is that await's token under this instance's secret. The index alone would
 * take any token whose hash someone wrote into the store, or one made under another secret.
 */
export async function awaitOfToken<T extends AwaitRef>(context: NventContext, token: string): Promise<T | undefined> {
  const ref = await context.adapters.store.kvGet<T>(tokenKey(token))
  if (!ref)
    return undefined
  const expected = Buffer.from(await awaitToken(context, ref))
  const given = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected) ? ref : undefined
}

/** The absolute URL that resolves a webhook await. */
export function awaitUrl(context: NventContext, token: string): string {
  const origin = context.options.webhooks.baseUrl
    || process.env.NVENT_BASE_URL
    || `http://localhost:${process.env.PORT || process.env.NITRO_PORT || 3000}`
  return `${origin.replace(/\/+$/, '')}${context.options.webhooks.path}/await/${token}`
}
