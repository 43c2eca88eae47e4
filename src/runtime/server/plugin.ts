/**
 * Starts nvent inside Nitro: builds the adapters the app configured, creates the engine from the compiled
 * registry and handlers, and closes it with the server.
 */
import { createAdapters } from '#nvent/adapters'
import { handlers, hooks } from '#nvent/handlers'
import { options as builtOptions } from '#nvent/options'
import { registry } from '#nvent/registry'
import { consola } from 'consola'
import { defineNitroPlugin, useRuntimeConfig } from 'nitropack/runtime'
import { createNvent, setNvent } from '../nvent'
import { withRuntimeConfig } from '../runtime-config'
import type { ResolvedNventOptions } from '../types/options'

export default defineNitroPlugin((nitroApp) => {
  const config = useRuntimeConfig().nvent as { awaitSecret?: string } | undefined
  let options: ResolvedNventOptions
  try {
    options = withRuntimeConfig(builtOptions, config)
  }
  catch (error) {
    return stop(error)
  }
  // Runtime config, so NUXT_NVENT_AWAIT_SECRET sets it on a built server; '' is the module's "not set".
  const awaitSecret = config?.awaitSecret || undefined
  // Nitro does not await plugins: the engine takes the adapters' promise and its API waits for it, so
  // `useNvent()` works from the first request while connections are still opening.
  const nvent = createNvent({ registry, handlers, hooks, adapters: createAdapters(options), options, secrets: { await: awaitSecret }, dev: import.meta.dev })
  setNvent(nvent)
  if (!import.meta.dev && !awaitSecret && hasWebhookAwaits())
    consola.withTag('nvent').info('webhook await tokens are keyed by the secret kept in the store (`await:secret`), so read access to the store is enough to make them; set NUXT_NVENT_AWAIT_SECRET (at least 32 characters, e.g. `openssl rand -base64 32`) to key them by a secret only the servers hold')

  // `NVENT_WORKERS=0` turns an instance API-only at start, without a rebuild (as does NUXT_NVENT_WORKERS=false).
  const workers = options.workers && options.queue.worker.autorun && process.env.NVENT_WORKERS !== '0'
  const started = nvent.start({ workers }).catch(stop)

  nitroApp.hooks.hook('close', async () => {
    await started
    await nvent.close()
    setNvent(undefined)
  })
})

/**
 * A server without its engine would answer every nvent call with an error, forever: it stops instead, so
 * the terminal or the process manager shows why (a data dir in use, a backend unreachable, a bad variable...).
 */
function stop(error: unknown): never {
  consola.withTag('nvent').error(`could not start, so the server stops: ${(error as Error)?.message ?? error}`)
  process.exit(1)
}

/** Whether any step of the app awaits a webhook, the only thing the await secret keys. */
function hasWebhookAwaits(): boolean {
  return Object.values(registry.flows).some(flow => Object.values(flow.steps)
    .some(step => step.awaitBefore?.type === 'webhook' || step.awaitAfter?.type === 'webhook'))
}
