/**
 * The dashboard's door: a request is let in by the app's `nvent:dashboard:auth` hook, or else by carrying
 * the token (as the sign-in cookie or `Authorization: Bearer`). Without a token and without a hook that
 * decides, the dashboard is not configured and lets nobody in: it is never served open.
 */
import { createHmac } from 'node:crypto'
import type { H3Event } from 'h3'
import { deleteCookie, getCookie, getHeader, getRequestProtocol, setCookie } from 'h3'
import type { DashboardAuth } from '../../types/dashboard'
import { secretMatches } from '../secret-match'

export const SESSION_COOKIE = 'nvent_dashboard'
/** Seconds a sign-in lasts. */
const SESSION_AGE = 7 * 24 * 3600

export interface DashboardDoor {
  /** The token from runtime config; '' when none is set. */
  token: () => string
  /** The browser path of the dashboard (base URL included): the cookie is sent there only. */
  path: () => string
  /** Calls the app's `nvent:dashboard:auth` hooks. */
  decide: (event: H3Event, auth: DashboardAuth) => Promise<void>
}

export type Access =
  | { allowed: true, byToken: boolean }
  | { allowed: false, status: 401 | 503, reason: string }

/** The cookie holds a value derived from the token, not the token: a leaked cookie does not give it away. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('nvent dashboard session').digest('base64url')
}

function bearerOf(event: H3Event): string | undefined {
  return getHeader(event, 'authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
}

/** Whether the request carries the token: in its Authorization header, or as the cookie a sign-in set. */
function carriesToken(event: H3Event, token: string): boolean {
  if (token === '')
    return false
  const bearer = bearerOf(event)
  return bearer !== undefined ? secretMatches(bearer, token) : secretMatches(getCookie(event, SESSION_COOKIE), sessionValue(token))
}

export const NOT_CONFIGURED = 'nvent: the dashboard has no token, so it serves nobody: set NUXT_NVENT_DASHBOARD_TOKEN on the server (e.g. `openssl rand -base64 32`), or decide access in an `nvent:dashboard:auth` hook'

export async function checkAccess(event: H3Event, door: DashboardDoor): Promise<Access> {
  const token = door.token()
  const auth: DashboardAuth = { token: carriesToken(event, token) }
  await door.decide(event, auth)
  if (auth.allow === true)
    return { allowed: true, byToken: auth.token }
  if (auth.allow === false)
    return { allowed: false, status: 401, reason: 'nvent: the dashboard refused this request (the app\'s `nvent:dashboard:auth` hook)' }
  if (token === '')
    return { allowed: false, status: 503, reason: NOT_CONFIGURED }
  if (!auth.token) {
    const reason = bearerOf(event) !== undefined ? 'the token is not valid' : 'sign in with the dashboard token, or send `Authorization: Bearer <token>`'
    return { allowed: false, status: 401, reason: `nvent: dashboard: ${reason}` }
  }
  return { allowed: true, byToken: true }
}

/** Signs the browser in: HttpOnly (scripts never see it), SameSite=Strict, Secure when the request came over HTTPS. */
export function setSession(event: H3Event, door: DashboardDoor): void {
  setCookie(event, SESSION_COOKIE, sessionValue(door.token()), {
    httpOnly: true,
    sameSite: 'strict',
    secure: getRequestProtocol(event) === 'https',
    path: door.path(),
    maxAge: SESSION_AGE,
  })
}

export function endSession(event: H3Event, door: DashboardDoor): void {
  deleteCookie(event, SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: getRequestProtocol(event) === 'https', path: door.path() })
}
