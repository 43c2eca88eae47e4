/** The transport the app was started with, for any component below it. */
import type { InjectionKey } from 'vue'
import { inject } from 'vue'
import type { Transport } from '../transport/transport'

export const TRANSPORT: InjectionKey<Transport> = Symbol('nvent transport')

export function useTransport(): Transport {
  const transport = inject(TRANSPORT)
  if (!transport)
    throw new Error('nvent client: no transport provided')
  return transport
}
