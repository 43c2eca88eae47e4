/**
 * Dev only: recompiles the registry when a function file is added, changed or removed, and makes Nitro
 * rebuild so the new registry and handlers are live without restarting `nuxi dev`; the flow types follow.
 */
import { updateTemplates } from '@nuxt/kit'
import type { Nuxt, NuxtHooks } from '@nuxt/schema'
import { consola } from 'consola'
import { resolve } from 'pathe'
import type { Registry } from '../runtime/types/registry'
import type { Compilation } from './compile'
import { formatIssues } from './errors'
import { FLOW_TYPES_FILE } from './flow-types'
import { FUNCTION_EXTENSIONS } from './scan'

const FILE_EVENTS = new Set(['add', 'change', 'unlink'])
/** Milliseconds without another event before the functions are compiled again. */
const SETTLE_MS = 150

export interface WatchOptions {
  /** Absolute functions dirs of every layer. */
  functionsDirs: () => string[]
  compile: () => Promise<Compilation>
  /** The registry the server templates read. */
  current: () => Registry
  /** Called with a new valid registry before Nitro is asked to rebuild. */
  update: (registry: Registry) => void
}

/** Hooks `builder:watch`; an invalid change is logged and the last good registry stays in place. */
export function watchFunctions(nuxt: Nuxt, watch: WatchOptions): void {
  let nitro: Parameters<NuxtHooks['nitro:init']>[0] | undefined
  nuxt.hook('nitro:init', (instance) => {
    nitro = instance
  })
  // One compilation at a time, in event order, so a burst of saves ends on the latest state.
  let queue = Promise.resolve()
  let settling: ReturnType<typeof setTimeout> | undefined

  nuxt.hook('builder:watch', (event, path) => {
    const file = resolve(nuxt.options.srcDir, path)
    if (!isFunctionPath(event, file, watch.functionsDirs())) return
    // A file is often written in steps (emptied, then filled): reading it at the first event would take the
    // empty file for the new version, refuse it, and miss the content when no later event comes.
    clearTimeout(settling)
    settling = setTimeout(() => void (queue = queue.then(recompile)), SETTLE_MS)
  })

  async function recompile(): Promise<void> {
    try {
      const { registry, issues } = await watch.compile()
      if (issues.length > 0) {
        consola.withTag('nvent').error(`${formatIssues(issues)}\nnvent keeps the last valid functions until this is fixed.`)
        return
      }
      // A change to a handler's body alone leaves the registry as it was: Nitro's own watcher rebuilds.
      if (JSON.stringify(registry) === JSON.stringify(watch.current())) return
      watch.update(registry)
      await updateTemplates({ filter: template => template.filename === FLOW_TYPES_FILE })
      // Rollup calls the virtual modules' getContents again on this rebuild, picking up the new registry.
      await nitro?.hooks.callHook('rollup:reload')
    }
    catch (error) {
      consola.withTag('nvent').error('could not reload the functions:', error)
    }
  }
}

function isFunctionPath(event: string, file: string, dirs: string[]): boolean {
  const inside = dirs.some(dir => file === dir || file.startsWith(`${dir}/`))
  if (!inside) return false
  // Directory events (a folder of functions moved or deleted) count too; files only with our extensions.
  return !FILE_EVENTS.has(event) || FUNCTION_EXTENSIONS.some(ext => file.endsWith(`.${ext}`) && !file.endsWith('.d.ts'))
}
