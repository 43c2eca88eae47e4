/**
 * Starts nvent inside Nitro: builds the adapters the app configured, creates the engine from the compiled
 * registry and handlers, and closes it with the server.
 */
import { createAdapters } from '#nvent/adapters'
import { handlers, hooks } from '#nvent/handlers'
import { options } from '#nvent/options'
import { registry } from '#nvent/registry'
import { consola } from 'consola'
import { defineNitroPlugin } from 'nitropack/runtime'
import { createNvent, setNvent } from '../nvent'

export default defineNitroPlugin((nitroApp) => {
  // Nitro does not await plugins: the engine takes the adapters' promise and its API waits for it, so
  // `useNvent()` works from the first request while connections are still opening.
  const nvent = createNvent({ registry, handlers, hooks, adapters: createAdapters(options), options })
  setNvent(nvent)

  // `NVENT_WORKERS=0` turns an instance API-only at start, without a rebuild.
  const workers = options.workers && options.queue.worker.autorun && process.env.NVENT_WORKERS !== '0'
  const started = nvent.start({ workers }).catch((error: unknown) => {
    consola.error('[nvent] could not start:', error)
  })

  nitroApp.hooks.hook('close', async () => {
    await started
    await nvent.close()
    setNvent(undefined)
  })
})
