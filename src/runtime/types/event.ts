/** Events from outside a run (`useNvent().events`). */
import type { AwaitRef } from './await'

export interface EventApi {
  /** Starts the flows an `event` trigger of that name subscribes, and resolves the awaits it matches. */
  emit(name: string, data?: unknown): Promise<EventDelivery>
}

export interface EventDelivery {
  runIds: string[]
  resolved: AwaitRef[]
}
