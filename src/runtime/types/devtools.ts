/** The Nvent tab's RPC with the dev server (birpc over DevTools' channel), for the client to import type-only. */
import type { MonitorCallName, MonitorMessage } from './monitor'

/** The namespace of nvent's functions in DevTools' RPC. */
export const DEVTOOLS_RPC_NAMESPACE = 'nvent'

/** Where the dev server's Nitro worker answers the main process's bridge calls (dev only). */
export const BRIDGE_ROUTE = '/__nvent__/bridge'
/** The header carrying the bridge secret of this dev start. */
export const BRIDGE_HEADER = 'x-nvent-bridge'

/** What the tab calls on the dev server. */
export interface DevtoolsServerFunctions {
  /**
   * Calls a monitor read or action with its arguments. `token` is DevTools' dev auth token, checked on
   * every call: the RPC channel is open to any page of the dev server.
   */
  call(token: string, fn: MonitorCallName, args: unknown[]): Promise<unknown>
}

/** What the dev server pushes to the tab. */
export interface DevtoolsClientFunctions {
  onMonitorMessage(message: MonitorMessage): void
  /** Messages were lost (the dev server restarted, the feed was cut for long): read everything again. */
  onMonitorReset(): void
}
