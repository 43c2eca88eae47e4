// Added only when the dashboard is enabled: says at start when it has no token, so it serves nobody.
import { consola } from 'consola'
import { defineNitroPlugin } from 'nitropack/runtime'
import { NOT_CONFIGURED } from './dashboard/access'
import { dashboardToken, route } from './dashboard/nitro-door'

export default defineNitroPlugin(() => {
  if (dashboardToken() === '')
    consola.withTag('nvent').warn(`${NOT_CONFIGURED}. Until then ${route} answers 503 to every request such a hook does not let in.`)
})
