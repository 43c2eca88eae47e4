/**
 * Reads a function file's config without executing it: the file imports `#imports`, which only resolves
 * inside Nitro, so the config is parsed with oxc and evaluated as a static value.
 */
import { parseSync } from 'oxc-parser'
import type { Expression, ModuleExportName, Program } from 'oxc-parser'
import { AWAIT_HOOK_NAMES } from '../runtime/types/await'
import type { BuildIssue } from './errors'
import { NotStaticError, evaluateStatic, snippet } from './static-value'

const CONFIG_HELPER = 'defineFunctionConfig'

/** What a function file declares: its config as a plain value (not yet validated), or issues. */
export interface ExtractedConfig {
  /** `undefined` when the file exports no config: a plain function with defaults. */
  config?: unknown
  /** The await hooks the file exports by name (`onAwaitRegister`, ...), in `AWAIT_HOOK_NAMES` order. */
  hooks: string[]
  /** Whether the file exports a type or interface `Emits`: its events' payloads, for the flow types. */
  emitsType: boolean
  issues: BuildIssue[]
}

/**
 * Extracts `export const config = defineFunctionConfig({...})` (or a plain object literal) and checks
 * that the file has a default export. `displayFile` is the path used in messages (relative to rootDir).
 */
export function extractConfig(source: string, filename: string, displayFile: string): ExtractedConfig {
  const parsed = parseSync(filename, source)
  const syntaxError = parsed.errors[0]
  if (syntaxError) return { hooks: [], emitsType: false, issues: [{ files: [displayFile], field: '', message: `could not be parsed: ${syntaxError.message}` }] }

  const exported = { hooks: exportedHooks(parsed.program), emitsType: exportsEmitsType(parsed.program) }
  const issues: BuildIssue[] = []
  if (!hasDefaultExport(parsed.program)) {
    issues.push({ files: [displayFile], field: 'export default', message: 'is missing: a function file must `export default defineFunction(...)`' })
  }
  const found = findConfigExpression(parsed.program)
  if (found === undefined) return { ...exported, issues }
  if ('problem' in found) return { ...exported, issues: [...issues, { files: [displayFile], field: 'config', message: found.problem }] }

  const argument = configArgument(found.expression)
  if (!argument) {
    const message = `must be \`${CONFIG_HELPER}({...})\` or an object literal (found \`${snippet(source, found.expression)}\`)`
    return { ...exported, issues: [...issues, { files: [displayFile], field: 'config', message }] }
  }
  try {
    return { config: evaluateStatic(argument, 'config', source), ...exported, issues }
  }
  catch (error) {
    if (!(error instanceof NotStaticError)) throw error
    const message = error.message.slice(error.field.length + 1)
    return { ...exported, issues: [...issues, { files: [displayFile], field: error.field, message }] }
  }
}

/**
 * The await hooks among the file's named exports: `export const onAwaitRegister = ...`,
 * `export function onAwaitTimeout`, `export { x as onAwaitResolve }`. Only names the handlers module
 * can import statically count, so `export *` is not followed.
 */
function exportedHooks(program: Program): string[] {
  const names = new Set<string>()
  for (const statement of program.body) {
    // Type-only exports vanish from the compiled file: importing them would fail.
    if (statement.type !== 'ExportNamedDeclaration' || statement.exportKind === 'type') continue
    for (const specifier of statement.specifiers) {
      if (specifier.exportKind !== 'type') names.add(exportName(specifier.exported))
    }
    const declaration = statement.declaration
    if (declaration?.type === 'FunctionDeclaration' && declaration.id) names.add(declaration.id.name)
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier') names.add(declarator.id.name)
      }
    }
  }
  return AWAIT_HOOK_NAMES.filter(name => names.has(name))
}

function exportsEmitsType(program: Program): boolean {
  return program.body.some(statement => statement.type === 'ExportNamedDeclaration'
    && (statement.declaration?.type === 'TSTypeAliasDeclaration' || statement.declaration?.type === 'TSInterfaceDeclaration')
    && statement.declaration.id.name === 'Emits')
}

function hasDefaultExport(program: Program): boolean {
  return program.body.some(statement =>
    statement.type === 'ExportDefaultDeclaration'
    || (statement.type === 'ExportNamedDeclaration' && statement.specifiers.some(s => exportName(s.exported) === 'default')))
}

/** The initializer of `export const config`, or a problem when `config` is exported some other way. */
function findConfigExpression(program: Program): { expression: Expression } | { problem: string } | undefined {
  for (const statement of program.body) {
    if (statement.type !== 'ExportNamedDeclaration') continue
    if (statement.specifiers.some(s => exportName(s.exported) === 'config')) {
      return { problem: 'must be exported where it is declared: `export const config = defineFunctionConfig({...})`' }
    }
    const declaration = statement.declaration
    if (declaration?.type !== 'VariableDeclaration') continue
    for (const declarator of declaration.declarations) {
      if (declarator.id.type !== 'Identifier' || declarator.id.name !== 'config') continue
      if (!declarator.init) return { problem: 'has no value' }
      return { expression: declarator.init }
    }
  }
  return undefined
}

/** The object handed to `defineFunctionConfig(...)`, or the expression itself when it is a literal. */
function configArgument(expression: Expression): Expression | undefined {
  const inner = unwrapTypeScript(expression)
  if (inner.type === 'CallExpression') {
    const [argument] = inner.arguments
    const isHelper = inner.callee.type === 'Identifier' && inner.callee.name === CONFIG_HELPER
    if (!isHelper || inner.arguments.length !== 1 || !argument || argument.type === 'SpreadElement') return undefined
    return argument
  }
  return inner.type === 'ObjectExpression' ? expression : undefined
}

function unwrapTypeScript(expression: Expression): Expression {
  switch (expression.type) {
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
      return unwrapTypeScript(expression.expression)
    default:
      return expression
  }
}

function exportName(name: ModuleExportName): string {
  return name.type === 'Literal' ? name.value : name.name
}
