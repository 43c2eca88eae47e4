/** The dashboard's door inside Nitro: the token from this server's runtime config, the app's hooks. */
import { options } from '#nvent/options'
import { useNitroApp, useRuntimeConfig } from 'nitropack/runtime'
import { joinURL } from 'ufo'
import type { DashboardDoor } from './access'

export const route = options.dashboard.route

/** `NUXT_NVENT_DASHBOARD_TOKEN` at server start; '' when it is not set. */
export function dashboardToken(): string {
  return (useRuntimeConfig().nvent as { dashboardToken?: string } | undefined)?.dashboardToken ?? ''
}

export const door: DashboardDoor = {
  token: dashboardToken,
  path: () => joinURL(useRuntimeConfig().app.baseURL, route),
  decide: (event, auth) => useNitroApp().hooks.callHook('nvent:dashboard:auth', event, auth),
}
