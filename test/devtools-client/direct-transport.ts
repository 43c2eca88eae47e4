/**
 * A client Transport straight onto a real engine's monitor, in this process: the client's stores run
 * against real reads, actions and live messages, without the RPC hop the e2e tests cover.
 */
import type { Transport } from '../../devtools-client/src/transport/transport'
import type { MonitorApi } from '../../src/runtime/types/monitor'

export function directTransport(monitor: MonitorApi, options: { readOnly?: boolean } = {}): Transport {
  return {
    reads: monitor,
    ...(!options.readOnly && { actions: monitor }),
    live(handlers) {
      const stopping = monitor.subscribe(handlers.onMessage)
      return () => void stopping.then(stop => stop())
    },
  }
}
