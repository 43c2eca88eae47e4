/**
 * The Nvent tab of Nuxt DevTools (dev only). Every devtools-kit call lives in this file, so a move to
 * another DevTools major touches one place. The tab is an iframe on a dev-only server route.
 */
import { addCustomTab } from '@nuxt/devtools-kit'
import { addServerHandler } from '@nuxt/kit'
import type { Nuxt } from '@nuxt/schema'
import { joinURL } from 'ufo'

export const DEVTOOLS_ROUTE = '/__nvent__/devtools/'

export function setupDevtools(nuxt: Nuxt, handlerPath: string): void {
  if (!nuxt.options.dev)
    return
  addServerHandler({ route: `${DEVTOOLS_ROUTE}**`, handler: handlerPath })
  const base = nuxt.options.app.baseURL
  addCustomTab({
    name: 'nvent',
    title: 'Nvent',
    // A local URL: an Iconify name would make DevTools fetch the icon from the internet.
    icon: joinURL(base, DEVTOOLS_ROUTE, 'icon.svg'),
    view: { type: 'iframe', src: joinURL(base, DEVTOOLS_ROUTE, 'index') },
  }, nuxt)
}
