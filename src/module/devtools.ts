/**
 * The Nvent tab of Nuxt DevTools (dev only). Every devtools-kit call lives in this file, so a move to
 * another DevTools major touches one place. The tab is an iframe of the prebuilt client
 * (devtools-client.ts); its RPC reaches the monitor through the bridge (devtools-bridge.ts, devtools-rpc.ts).
 */
import { randomBytes } from 'node:crypto'
import { addCustomTab, extendServerRpc, onDevToolsInitialized } from '@nuxt/devtools-kit'
import { addDevServerHandler, addServerHandler, useLogger } from '@nuxt/kit'
import type { NuxtDevtoolsServerContext } from '@nuxt/devtools-kit/types'
import type { Nuxt } from '@nuxt/schema'
import { joinURL } from 'ufo'
import type { DevtoolsClientFunctions, DevtoolsServerFunctions } from '../runtime/types/devtools'
import { BRIDGE_ROUTE, DEVTOOLS_RPC_NAMESPACE } from '../runtime/types/devtools'
import { createBridge } from './devtools-bridge'
import { ensureClientBuilt, serveClient } from './devtools-client'
import { createRpcFunctions } from './devtools-rpc'

export const DEVTOOLS_ROUTE = '/__nvent__/devtools/'

const logger = useLogger('nvent')

export interface DevtoolsParts {
  /** The client's folder (devtools-client/): its build, and in this repository its sources. */
  client: string
  /** The bridge route's handler. */
  bridge: string
}

export async function setupDevtools(nuxt: Nuxt, parts: DevtoolsParts): Promise<void> {
  if (!nuxt.options.dev)
    return
  const base = nuxt.options.app.baseURL
  const route = joinURL(base, DEVTOOLS_ROUTE)
  const dist = await ensureClientBuilt(parts.client, message => logger.info(message))
  // Served by the Nuxt process itself: same origin as DevTools, which the iframe needs to attach.
  addDevServerHandler({ route, handler: serveClient(dist, route) })
  addCustomTab({
    name: 'nvent',
    title: 'Nvent',
    // A local URL: an Iconify name would make DevTools fetch the icon from the internet.
    icon: joinURL(route, 'icon.svg'),
    view: { type: 'iframe', src: route },
  }, nuxt)
  setupBridge(nuxt, parts.bridge)
}

function setupBridge(nuxt: Nuxt, handler: string) {
  // Made at each dev start and handed only to this server's Nitro worker, through its private runtime config.
  const secret = randomBytes(32).toString('base64url')
  const config = nuxt.options.runtimeConfig as { nvent?: Record<string, unknown> }
  config.nvent = { ...config.nvent, bridgeSecret: secret }
  addServerHandler({ route: `${BRIDGE_ROUTE}/**`, handler })
  let url: string | undefined
  nuxt.hook('listen', (_server, listener: { url: string }) => {
    url = joinURL(listener.url, nuxt.options.app.baseURL, BRIDGE_ROUTE)
  })
  const bridge = createBridge({ url: () => url, secret })

  onDevToolsInitialized(() => {
    // DevTools puts its server context on `nuxt` when it starts, before this hook runs.
    const { ensureDevAuthToken } = (nuxt as Nuxt & { devtools: NuxtDevtoolsServerContext }).devtools
    const functions = createRpcFunctions(bridge, {
      ensureDevAuthToken,
      // `asEvent`: a plain broadcast waits for an answer from every HMR channel, the app page's too.
      push: {
        onMessage: message => void rpc.broadcast.onMonitorMessage.asEvent(message),
        onReset: () => void rpc.broadcast.onMonitorReset.asEvent(),
      },
    })
    const rpc = extendServerRpc<DevtoolsClientFunctions, DevtoolsServerFunctions>(DEVTOOLS_RPC_NAMESPACE, { call: functions.call }, nuxt)
    nuxt.hook('close', () => functions.stop())
  }, nuxt)
}
