// The DevTools bridge route, mounted in dev only (module/devtools.ts): the secret from this dev start's
// private runtime config, the monitor of this server.
import { useRuntimeConfig } from 'nitropack/runtime'
import { useNvent } from '../../nvent'
import { createBridgeHandler } from '../monitor/bridge-handler'

export default createBridgeHandler({
  secret: () => (useRuntimeConfig().nvent as { bridgeSecret?: string } | undefined)?.bridgeSecret ?? '',
  monitor: () => useNvent().monitor,
})
