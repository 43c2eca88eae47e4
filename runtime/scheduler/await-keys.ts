/** Where awaits are indexed in the store's key space: by webhook token, and by the event they wait for. */
import { randomBytes } from 'node:crypto'
import type { AwaitPhase } from '../types/await'
import type { AwaitTokens } from '../engine/activation'
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

export const tokenKey = (token: string) => `await:token:${token}`

export const eventKeyPrefix = (event: string) => `await:event:${encodeURIComponent(event)}:`

export const eventKey = (event: string, ref: AwaitRef) =>
  `${eventKeyPrefix(event)}${ref.runId}:${encodeURIComponent(ref.step)}:${ref.phase}`

/** Fresh unguessable tokens, one per step and phase, reused when a transition is computed again. */
export function awaitTokens(): AwaitTokens {
  const issued = new Map<string, string>()
  return (step, phase) => {
    const key = `${phase}:${step}`
    let token = issued.get(key)
    if (!token)
      issued.set(key, token = randomBytes(24).toString('base64url'))
    return token
  }
}

/** The absolute URL that resolves a webhook await. */
export function awaitUrl(engine: Engine, token: string): string {
  const origin = engine.options.webhooks.baseUrl
    || process.env.NVENT_BASE_URL
    || `http://localhost:${process.env.PORT || process.env.NITRO_PORT || 3000}`
  return `${origin.replace(/\/+$/, '')}${engine.options.webhooks.path}/await/${token}`
}
