/** Periodic work that one instance does at a time, whatever the number of instances. */
import { consola } from 'consola'
import type { NventContext } from './nvent-context'

/**
 * Runs `work` every `interval` ms. Each instance ticks, but a tick works only after claiming the interval
 * in the store under `claim`, so one instance does it per interval. Returns the function that stops it.
 */
export function everyIntervalOnce(context: NventContext, claim: string, interval: number, what: string, work: () => Promise<unknown>): () => void {
  const timer = setInterval(async () => {
    try {
      if (await context.adapters.store.kvClaim(claim, context.instanceId, { ttl: Math.max(1, interval - 50) }))
        await work()
    }
    catch (error) {
      consola.withTag('nvent').warn(`${what} failed:`, error)
    }
  }, interval)
  timer.unref?.()
  return () => clearInterval(timer)
}
