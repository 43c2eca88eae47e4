/**
 * Where awaits are indexed in the store's key space (by webhook token, by the event they wait for), and
 * how a webhook await's token is made: an HMAC of the run, step and phase under the await secret, the one
 * given at runtime or else one the store keeps. Every instance derives the same token, a repair after a
 * crash can re-index it, and no run record or read API ever holds it; the index is keyed by its hash, so
 * not even store keys show it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { AwaitPhase } from '../types/await'
import type { Engine } from '../engine/engine'

export interface AwaitRef {
  runId: string
  step: string
  phase: AwaitPhase
}

export interface EventAwaitRef extends AwaitRef {
  matchKey?: string
  matchValue?: unknown
}

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

const storedSecrets = new WeakMap<Engine, Promise<string>>()

/**
 * The secret tokens are keyed by: the configured one, else the app's stored secret, made once by whichever
 * instance claims it first, then read by all.
 */
function awaitSecret(engine: Engine): Promise<string> {
  if (engine.secrets.await)
    return Promise.resolve(engine.secrets.await)
  let secret = storedSecrets.get(engine)
  if (!secret) {
    const { store } = engine.adapters
    secret = store.kvClaim(SECRET_KEY, randomBytes(32).toString('base64url'))
      .then(() => store.kvGet<string>(SECRET_KEY))
      .then(value => value ?? Promise.reject(new Error('nvent: the await secret is missing from the store')))
    secret.catch(() => storedSecrets.delete(engine))
    storedSecrets.set(engine, secret)
  }
  return secret
}

/** A webhook await's token: 32 base64url characters of the HMAC of its run, step and phase. */
export async function awaitToken(engine: Engine, ref: AwaitRef): Promise<string> {
  const secret = await awaitSecret(engine)
  return createHmac('sha256', secret).update(`${ref.runId}\0${ref.step}\0${ref.phase}`).digest('base64url').slice(0, 32)
}

/**
 * The await `token` names, if it is that await's token under this instance's secret. The index alone would
 * take any token whose hash someone wrote into the store, or one made under another secret.
 */
export async function awaitOfToken<T extends AwaitRef>(engine: Engine, token: string): Promise<T | undefined> {
  const ref = await engine.adapters.store.kvGet<T>(tokenKey(token))
  if (!ref)
    return undefined
  const expected = Buffer.from(await awaitToken(engine, ref))
  const given = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected) ? ref : undefined
}

/** The absolute URL that resolves a webhook await. */
export function awaitUrl(engine: Engine, token: string): string {
  const origin = engine.options.webhooks.baseUrl
    || process.env.NVENT_BASE_URL
    || `http://localhost:${process.env.PORT || process.env.NITRO_PORT || 3000}`
  return `${origin.replace(/\/+$/, '')}${engine.options.webhooks.path}/await/${token}`
}
