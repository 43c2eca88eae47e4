/** The code of the `#nvent/*` virtual modules Nitro bundles into the server. */
import { AWAIT_HOOK_NAMES } from '../runtime/types/await'
import type { ResolvedNventOptions } from '../runtime/types/options'
import type { Registry } from '../runtime/types/registry'
import type { AdapterChoice } from './adapters'

/** `#nvent/registry`: the compiled registry. */
export function registryModule(registry: Registry): string {
  return `export const registry = ${JSON.stringify(registry, null, 2)}\n`
}

/**
 * `#nvent/handlers`: each function's default export, by function id, and the await hooks its file
 * exports. Hooks are imported by name only where the file has them, so a missing export never breaks the bundle.
 */
export function handlersModule(registry: Registry): string {
  const functions = Object.values(registry.functions)
  let hookCount = 0
  const hooksByFunction = functions.map(fn => (fn.hooks ?? [])
    .filter(name => (AWAIT_HOOK_NAMES as readonly string[]).includes(name))
    .map(name => ({ name, local: `hook${hookCount++}` })))
  const imports = functions.map((fn, index) => {
    const named = hooksByFunction[index]!.map(hook => `${hook.name} as ${hook.local}`)
    return `import handler${index}${named.length > 0 ? `, { ${named.join(', ')} }` : ''} from ${JSON.stringify(fn.file)}`
  })
  const entries = functions.map((fn, index) => `  ${JSON.stringify(fn.id)}: handler${index},`)
  const hookEntries = functions.flatMap((fn, index) => {
    const hooks = hooksByFunction[index]!
    return hooks.length > 0 ? [`  ${JSON.stringify(fn.id)}: { ${hooks.map(hook => `${hook.name}: ${hook.local}`).join(', ')} },`] : []
  })
  return [...imports, '', 'export const handlers = {', ...entries, '}', '', 'export const hooks = {', ...hookEntries, '}', ''].join('\n')
}

/** `#nvent/options`: the resolved module options. */
export function optionsModule(options: ResolvedNventOptions): string {
  return `export const options = ${JSON.stringify(options, null, 2)}\n`
}

/**
 * `#nvent/adapters`: `createAdapters(options)`, importing only the chosen backends. `resolveModule`
 * turns a package-relative module path into the absolute path to import.
 */
export function adaptersModule(choices: AdapterChoice[], resolveModule: (module: string) => string): string {
  const namesByModule = new Map<string, Set<string>>()
  for (const choice of choices) {
    namesByModule.set(choice.module, (namesByModule.get(choice.module) ?? new Set()).add(choice.factory.name))
  }
  const imports = [...namesByModule].map(([module, names]) =>
    `import { ${[...names].sort().join(', ')} } from ${JSON.stringify(resolveModule(module))}`)
  const usesFiles = choices.some(choice => choice.backend === 'file')
  const body = [
    'export async function createAdapters(options) {',
    // A relative dataDir (production builds) is resolved against the server's working directory at start.
    ...(usesFiles ? ['  const dataDir = resolve(options.connections.file.dataDir)'] : []),
    '  return {',
    ...choices.map(choice => `    ${choice.kind}: await ${choice.factory.name}(${choice.factory.args}),`),
    '  }',
    '}',
  ]
  return [
    ...(usesFiles ? [`import { join, resolve } from 'node:path'`] : []),
    ...imports,
    '',
    ...body,
    '',
  ].join('\n')
}
