/**
 * Where awaits are indexed in the store's key space (by webhook token, by the event they wait for), and
 * how a webhook await's token is made: an HMAC of the run, step and phase under a secret the store keeps.
 * Every instance derives the same token, a repair after a crash can re-index it, and no run record or
 * read API ever holds it; the index is keyed by its hash, so not even store keys show it.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
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

const secrets = new WeakMap<Engine, Promise<string>>()

/** The app's await secret: made once by whichever instance claims it first, then read by all. */
function awaitSecret(engine: Engine): Promise<string> {
  let secret = secrets.get(engine)
  if (!secret) {
    const { store } = engine.adapters
    secret = store.kvClaim(SECRET_KEY, randomBytes(32).toString('base64url'))
      .then(() => store.kvGet<string>(SECRET_KEY))
      .then(value => value ?? Promise.reject(new Error('nvent: the await secret is missing from the store')))
    secret.catch(() => secrets.delete(engine))
    secrets.set(engine, secret)
  }
  return secret
}

export async function awaitToken(engine: Engine, ref: AwaitRef): Promise<string> {
  const secret = await awaitSecret(engine)
  return createHmac('sha256', secret).update(`${ref.runId}\0${ref.step}\0${ref.phase}`).digest('base64url').slice(0, 32)
}

/** The absolute URL that resolves a webhook await. */
export function awaitUrl(engine: Engine, token: string): string {
  const origin = engine.options.webhooks.baseUrl
    || process.env.NVENT_BASE_URL
    || `http://localhost:${process.env.PORT || process.env.NITRO_PORT || 3000}`
  return `${origin.replace(/\/+$/, '')}${engine.options.webhooks.path}/await/${token}`
}
