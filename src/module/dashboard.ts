/**
 * The read-only dashboard (`nvent.dashboard`), added to the build only when enabled: the page and API
 * routes, the client's hashed assets as public assets under `<route>/assets`, the page itself as a server
 * template, and the token in runtime config so each deployment sets its own
 * (`NUXT_NVENT_DASHBOARD_TOKEN`). Disabled, none of it is in the build.
 */
import { readFileSync } from 'node:fs'
import { addServerHandler, addServerPlugin, addServerTemplate, useLogger } from '@nuxt/kit'
import type { Nuxt } from '@nuxt/schema'
import { defu } from 'defu'
import { join } from 'pathe'
import type { ResolvedNventOptions } from '../runtime/types/options'
import { ensureClientBuilt } from './devtools-client'

export interface DashboardParts {
  /** The client's folder (devtools-client/). */
  client: string
  api: string
  page: string
  plugin: string
}

/** Hashed file names: a year in any cache is safe. */
const ASSET_MAX_AGE = 365 * 24 * 3600
/** What tells the client it is the dashboard, and where its API is (relative: any base URL works). */
const DASHBOARD_META = '<meta name="nvent-dashboard" content="./api">'

export async function setupDashboard(nuxt: Nuxt, options: ResolvedNventOptions, parts: DashboardParts): Promise<void> {
  if (!options.dashboard.enabled)
    return
  const { route } = options.dashboard
  const dist = await ensureClientBuilt(parts.client, message => useLogger('nvent').info(message))
  nuxt.options.runtimeConfig.nvent = defu(nuxt.options.runtimeConfig.nvent as { dashboardToken?: string } | undefined, { dashboardToken: '' })
  nuxt.options.nitro.publicAssets ||= []
  nuxt.options.nitro.publicAssets.push({ dir: join(dist, 'assets'), baseURL: `${route}/assets`, maxAge: ASSET_MAX_AGE })
  addServerTemplate({ filename: '#nvent/dashboard-page', getContents: () => pageModule(dist) })
  addServerHandler({ route: `${route}/api/**`, handler: parts.api })
  // `<route>/**` does not match `<route>` itself, which redirects to the folder.
  addServerHandler({ route, handler: parts.page })
  addServerHandler({ route: `${route}/**`, handler: parts.page })
  addServerPlugin(parts.plugin)
}

function pageModule(dist: string): string {
  const html = readFileSync(join(dist, 'index.html'), 'utf8').replace('</head>', `  ${DASHBOARD_META}\n  </head>`)
  const icon = readFileSync(join(dist, 'icon.svg'), 'utf8')
  return `export const page = ${JSON.stringify({ html, icon })}\n`
}
