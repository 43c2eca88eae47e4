/**
 * The DevTools transport: birpc over DevTools' channel to the Nuxt process (module/devtools-rpc.ts), every
 * call carrying DevTools' dev auth token, which this same-origin iframe reads where DevTools keeps it.
 */
import { onDevtoolsClientConnected } from '@nuxt/devtools-kit/iframe-client'
import type { NuxtDevtoolsIframeClient } from '@nuxt/devtools-kit/types'
import type { DevtoolsClientFunctions, DevtoolsServerFunctions } from '../../../src/runtime/types/devtools'
import { DEVTOOLS_RPC_NAMESPACE } from '../../../src/runtime/types/devtools'
import type { MonitorActions, MonitorCallName, MonitorReads } from '../../../src/runtime/types/monitor'
import type { LiveHandlers, Transport } from './transport'
import { callProxy } from './transport'

const TOKEN_KEY = '__nuxt_dev_token__'

export function devtoolsTransport(): Transport {
  const listeners = new Set<LiveHandlers>()
  let client: NuxtDevtoolsIframeClient | undefined
  // Wrapped in an object: birpc's proxy answers every property, `then` too, so resolving a promise with
  // it would make the promise call a remote function named "then".
  const server = new Promise<{ rpc: DevtoolsServerFunctions }>((resolve) => {
    onDevtoolsClientConnected((connected) => {
      client = connected
      resolve({ rpc: connected.devtools.extendClientRpc<DevtoolsServerFunctions, DevtoolsClientFunctions>(DEVTOOLS_RPC_NAMESPACE, {
        onMonitorMessage: message => listeners.forEach(listener => listener.onMessage(message)),
        onMonitorReset: () => listeners.forEach(listener => listener.onReset()),
      }) })
    })
  })
  const token = () => localStorage.getItem(TOKEN_KEY) ?? ''
  const call = async (name: string, args: unknown[]) => (await server).rpc.call(token(), name as MonitorCallName, args)
  return {
    reads: callProxy<MonitorReads>(call),
    actions: callProxy<MonitorActions>(call),
    live(handlers) {
      listeners.add(handlers)
      return () => listeners.delete(handlers)
    },
    openInEditor: file => void client?.devtools.rpc.openInEditor(token(), file),
  }
}
