/** The transport's actions, for a store method the view only offers when they exist. */
import type { MonitorActions } from '../../../src/runtime/types/monitor'
import type { Transport } from '../transport/transport'

export function requireActions(transport: Transport): MonitorActions {
  if (!transport.actions)
    throw new Error('nvent client: this transport is read-only, it has no actions')
  return transport.actions
}
