/**
 * nvent: background functions and event-driven flows for Nuxt. The module finds `server/functions/**`
 * in every layer, reads each file's config statically, validates it, compiles the registry and hands
 * it, the handlers, the options and the configured adapters to the Nitro plugin as virtual modules, and
 * routes the webhooks of triggers and awaits.
 */
import { addServerHandler, addServerImports, addServerPlugin, addServerTemplate, addTypeTemplate, createResolver, defineNuxtModule, getLayerDirectories, resolvePath } from '@nuxt/kit'
import { defu } from 'defu'
import { isAbsolute, join, resolve } from 'pathe'
import { runtimeConfigOf } from './runtime/runtime-config'
import type { NventOptions, ResolvedNventOptions } from './runtime/types/options'
import { checkBackendPackages, chooseAdapters } from './module/adapters'
import { compileFunctions } from './module/compile'
import { setupDashboard } from './module/dashboard'
import { setupDevtools } from './module/devtools'
import { NventBuildError } from './module/errors'
import { FLOW_TYPES_FILE, flowTypesModule } from './module/flow-types'
import { checkRetentionFlows, resolveOptions } from './module/options'
import { adaptersModule, handlersModule, optionsModule, registryModule } from './module/templates'
import { watchFunctions } from './module/watch'

export type { NventOptions } from './runtime/types/options'

export default defineNuxtModule<NventOptions>({
  meta: { name: 'nvent', configKey: 'nvent' },
  async setup(userOptions, nuxt) {
    const resolver = createResolver(import.meta.url)
    // Defaults are applied by resolveOptions (defu over runtime/defaults.ts) after the user's keys are checked.
    const options = resolveOptions(userOptions, { dev: nuxt.options.dev })
    const adapters = chooseAdapters(options)
    await checkBackendPackages(adapters, resolver.resolve('./runtime/adapters/'))

    // Layers in Nuxt's priority order, the app's own first: its functions override a layer's with the same id.
    const functionsDirs = () => getLayerDirectories(nuxt).map(layer => join(layer.server, options.dir))
    const compile = () => compileFunctions({
      rootDir: nuxt.options.rootDir,
      serverDirs: getLayerDirectories(nuxt).map(layer => layer.server),
      dir: options.dir,
    })
    const compiled = await compile()
    const issues = [...compiled.issues, ...checkRetentionFlows(options, compiled.registry)]
    if (issues.length > 0) throw new NventBuildError(issues)
    let registry = compiled.registry

    const runtimeOptions = withDataDir(options, nuxt.options.dev, nuxt.options.rootDir)
    // Declared so NUXT_NVENT_* variables set them on a built server (runtime/runtime-config.ts). An empty
    // awaitSecret: tokens use the secret the store keeps.
    nuxt.options.runtimeConfig.nvent = defu(nuxt.options.runtimeConfig.nvent as Record<string, unknown> | undefined, { awaitSecret: '', ...runtimeConfigOf(runtimeOptions) })

    addServerTemplate({ filename: '#nvent/registry', getContents: () => registryModule(registry) })
    // For the server code that calls useNvent() and the function files; the app's pages see them too.
    addTypeTemplate({ filename: FLOW_TYPES_FILE, getContents: () => flowTypesModule(registry, resolver.resolve('./runtime/types/typed')) }, { nitro: true, nuxt: true })
    addServerTemplate({ filename: '#nvent/handlers', getContents: () => handlersModule(registry) })
    addServerTemplate({ filename: '#nvent/options', getContents: () => optionsModule(runtimeOptions) })
    addServerTemplate({
      filename: '#nvent/adapters',
      getContents: async () => {
        // Resolved to the real file (with its extension) so the import does not depend on Nitro's resolver.
        const paths = new Map(await Promise.all(adapters.map(async ({ module }) => [module, await resolvePath(resolver.resolve(module))] as const)))
        return adaptersModule(adapters, module => paths.get(module) ?? module)
      },
    })
    nuxt.hook('nitro:prepare:types', (types) => {
      types.references ||= []
      // Without extensions: the sources here, their .d.ts in the built package.
      types.references.push({ path: resolver.resolve('./runtime/virtual-modules.d.ts') }, { path: resolver.resolve('./runtime/types/dashboard') })
    })

    const functionTypes = resolver.resolve('./runtime/types/function')
    const awaitTypes = resolver.resolve('./runtime/types/await')
    const nventApi = resolver.resolve('./runtime/nvent')
    addServerImports([
      { name: 'defineFunction', from: functionTypes },
      { name: 'defineFunctionConfig', from: functionTypes },
      { name: 'defineAwaitRegisterHook', from: awaitTypes },
      { name: 'defineAwaitResolveHook', from: awaitTypes },
      { name: 'defineAwaitTimeoutHook', from: awaitTypes },
      { name: 'useNvent', from: nventApi },
      { name: '$nvent', from: nventApi },
    ])
    addServerPlugin(resolver.resolve('./runtime/server/plugin'))
    // Both routes take every method and check it themselves: trigger webhooks answer 405 to all but POST,
    // await URLs answer the method each await chose (`AwaitConfig.method`).
    addServerHandler({
      route: `${options.webhooks.path}/webhook/:trigger`,
      handler: resolver.resolve('./runtime/server/routes/trigger-webhook'),
    })
    addServerHandler({
      route: `${options.webhooks.path}/await/:token`,
      handler: resolver.resolve('./runtime/server/routes/await-webhook'),
    })
    await setupDashboard(nuxt, options, {
      client: resolver.resolve('../devtools-client'),
      api: resolver.resolve('./runtime/server/routes/dashboard-api'),
      page: resolver.resolve('./runtime/server/routes/dashboard-page'),
      plugin: resolver.resolve('./runtime/server/dashboard-plugin'),
    })
    await setupDevtools(nuxt, { client: resolver.resolve('../devtools-client'), bridge: resolver.resolve('./runtime/server/routes/monitor-bridge') })

    if (nuxt.options.dev) {
      watchFunctions(nuxt, {
        functionsDirs,
        compile,
        current: () => registry,
        update: (next) => {
          registry = next
        },
      })
    }
  },
})

/**
 * In dev the file adapters' dataDir is made absolute against rootDir, so data lands in the app whatever
 * the dev server's working directory. A production build keeps it as written: the server resolves a
 * relative dataDir against its own working directory, where the app is deployed.
 */
function withDataDir(options: ResolvedNventOptions, dev: boolean, rootDir: string): ResolvedNventOptions {
  const dataDir = options.connections.file?.dataDir ?? ''
  if (!dev || isAbsolute(dataDir)) return options
  return { ...options, connections: { ...options.connections, file: { dataDir: resolve(rootDir, dataDir) } } }
}
