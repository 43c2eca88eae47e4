/**
 * Who may read the dashboard: the token from runtime config decides, unless the app decides itself in a
 * Nitro plugin through the `nvent:dashboard:auth` hook (its own sessions, an SSO header, an IP list…).
 */
import type { H3Event } from 'h3'

/** What the hook is handed for each dashboard request (page, API, live stream). */
export interface DashboardAuth {
  /** Whether the request carries the configured token, as the sign-in cookie or `Authorization: Bearer`. */
  readonly token: boolean
  /** Set `true` to let the request in or `false` to refuse it; left unset, the token decides. */
  allow?: boolean
}

declare module 'nitropack' {
  interface NitroRuntimeHooks {
    /**
     * Decides access to the dashboard per request:
     * `nitroApp.hooks.hook('nvent:dashboard:auth', async (event, auth) => { auth.allow = await isAdmin(event) })`.
     */
    'nvent:dashboard:auth': (event: H3Event, auth: DashboardAuth) => void | Promise<void>
  }
}
