/** Finds the function files of every layer. */
import { glob } from 'tinyglobby'
import { join } from 'pathe'
import type { BuildIssue } from './errors'

/** The extensions a function file may have. */
export const FUNCTION_EXTENSIONS = ['ts', 'js', 'mjs'] as const

/** A function file and the id it gets. */
export interface ScannedFunction {
  /** Path under the functions dir without extension, `/`-separated: `example/first_step`. */
  id: string
  /** Absolute path. */
  file: string
}

/**
 * Lists `<functionsDir>/**\/*.{ts,js,mjs}` of each dir, given in layer priority order (the app's own layer
 * first). When two layers provide the same id, the first wins, the way Nuxt lets an app override a layer.
 * Two files with one id in the same layer (`a.ts` and `a.js`) are an issue: neither obviously wins.
 */
export async function scanFunctions(functionsDirs: string[], relative: (file: string) => string): Promise<{ functions: ScannedFunction[], issues: BuildIssue[] }> {
  const byId = new Map<string, ScannedFunction>()
  const issues: BuildIssue[] = []
  for (const dir of functionsDirs) {
    const files = await glob(`**/*.{${FUNCTION_EXTENSIONS.join(',')}}`, { cwd: dir, ignore: ['**/*.d.ts'] })
    const layer = new Map<string, string>()
    for (const path of files.sort()) {
      const id = path.replace(/\.[^./]+$/, '')
      const file = join(dir, path)
      const clash = layer.get(id)
      if (clash) {
        issues.push({ files: [relative(clash), relative(file)], field: '', message: `both define the function '${id}'; keep one` })
        continue
      }
      layer.set(id, file)
      if (!byId.has(id)) byId.set(id, { id, file })
    }
  }
  return { functions: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), issues }
}
