/** Scans, reads, validates and compiles every function file into the registry. */
import { readFile } from 'node:fs/promises'
import { join, relative } from 'pathe'
import type { Registry } from '../runtime/types/registry'
import type { BuildIssue } from './errors'
import { extractConfig } from './extract-config'
import { buildRegistry } from './registry'
import type { FunctionSource } from './registry'
import { scanFunctions } from './scan'
import { validateFunctionConfig } from './validate'

export interface CompileInput {
  rootDir: string
  /** Each layer's server dir, in layer priority order (the app's own first). */
  serverDirs: string[]
  /** The functions folder under each server dir (the `dir` option). */
  dir: string
}

/** The outcome of one compilation; `registry` is only safe to use when `issues` is empty. */
export interface Compilation {
  registry: Registry
  issues: BuildIssue[]
}

/** Runs the whole pipeline, collecting every issue instead of stopping at the first. */
export async function compileFunctions({ rootDir, serverDirs, dir }: CompileInput): Promise<Compilation> {
  const display = (file: string) => relative(rootDir, file)
  const scanned = await scanFunctions(serverDirs.map(serverDir => join(serverDir, dir)), display)
  const issues = [...scanned.issues]
  const sources: FunctionSource[] = []

  for (const { id, file } of scanned.functions) {
    const displayFile = display(file)
    const extracted = extractConfig(await readFile(file, 'utf8'), file, displayFile)
    issues.push(...extracted.issues)
    const { hooks, emitsType } = extracted
    if (extracted.config === undefined) {
      if (extracted.issues.length === 0) sources.push({ id, file, displayFile, config: {}, hooks, emitsType })
      continue
    }
    const validated = validateFunctionConfig(extracted.config, displayFile)
    issues.push(...validated.issues)
    if (validated.config) sources.push({ id, file, displayFile, config: validated.config, hooks, emitsType })
  }

  const built = buildRegistry(sources)
  return { registry: built.registry, issues: [...issues, ...built.issues] }
}
