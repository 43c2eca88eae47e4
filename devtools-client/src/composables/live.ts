/** Live messages for as long as the calling component is mounted. */
import { onScopeDispose } from 'vue'
import type { LiveHandlers } from '../transport/transport'
import { useTransport } from './transport'

export function useLive(handlers: Partial<LiveHandlers>): void {
  const stop = useTransport().live({ onMessage: () => {}, onReset: () => {}, ...handlers })
  onScopeDispose(stop)
}
