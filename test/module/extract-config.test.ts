import { describe, expect, it } from 'vitest'
import { extractConfig } from '../../src/module/extract-config'
import { formatIssue } from '../../src/module/errors'

const FILE = 'server/functions/a.ts'
const handler = `export default defineFunction(async () => {})`

function extract(source: string) {
  const result = extractConfig(source, `/app/${FILE}`, FILE)
  return { config: result.config, messages: result.issues.map(formatIssue) }
}
const hooksOf = (source: string) => extractConfig(source, `/app/${FILE}`, FILE).hooks

describe('extractConfig', () => {
  it('reads defineFunctionConfig({...})', () => {
    const source = `import { defineFunctionConfig } from '#imports'
export const config = defineFunctionConfig({ queue: { name: 'emails' }, retry: { attempts: 3 } })
${handler}`
    expect(extract(source)).toEqual({ config: { queue: { name: 'emails' }, retry: { attempts: 3 } }, messages: [] })
  })

  it('reads a plain object literal, with a satisfies clause', () => {
    expect(extract(`export const config = { worker: { concurrency: 4 } } satisfies FunctionConfig\n${handler}`).config)
      .toEqual({ worker: { concurrency: 4 } })
  })

  it('treats a file without config as a plain function', () => {
    expect(extract(handler)).toEqual({ config: undefined, messages: [] })
  })

  it('accepts a default export given as a specifier', () => {
    expect(extract(`const run = defineFunction(async () => {})\nexport { run as default }`).messages).toEqual([])
  })

  it('reports a missing default export', () => {
    expect(extract(`export const config = {}`).messages).toEqual([
      `${FILE}: export default is missing: a function file must \`export default defineFunction(...)\``,
    ])
  })

  it('reports a non-static value with the file and the field path', () => {
    const source = `const EVENTS = 'x'\nexport const config = defineFunctionConfig({ flow: { name: 'f', role: 'entry', emits: ['a', EVENTS] } })\n${handler}`
    expect(extract(source).messages).toEqual([
      `${FILE}: config.flow.emits[1] must be a static value (found Identifier \`EVENTS\`)`,
    ])
  })

  it('reports a config built by another call', () => {
    expect(extract(`export const config = makeConfig({})\n${handler}`).messages).toEqual([
      `${FILE}: config must be \`defineFunctionConfig({...})\` or an object literal (found \`makeConfig({})\`)`,
    ])
  })

  it('reports a config exported apart from its declaration', () => {
    expect(extract(`const config = {}\nexport { config }\n${handler}`).messages[0]).toContain(`${FILE}: config must be exported where it is declared`)
  })

  it('reports a syntax error', () => {
    expect(extract(`export const config = {\n${handler}`).messages[0]).toMatch(new RegExp(`^${FILE}: could not be parsed: `))
  })

  it('lists the await hooks exported by name, however they are exported', () => {
    const source = `export const config = { flow: { name: 'f', role: 'entry', awaitAfter: { type: 'webhook' } } }
export async function onAwaitTimeout(info) {}
const resolved = defineAwaitResolveHook(async () => {})
export { resolved as onAwaitResolve }
export const onAwaitRegister = defineAwaitRegisterHook(async (url) => {})
${handler}`
    expect(hooksOf(source)).toEqual(['onAwaitRegister', 'onAwaitResolve', 'onAwaitTimeout'])
  })

  it('lists no hooks for other exports, type-only exports, or a file without config', () => {
    expect(hooksOf(`export const onAwait = 1\nexport const helper = 2\n${handler}`)).toEqual([])
    expect(hooksOf(`type H = () => void\nexport type { H as onAwaitRegister }\n${handler}`)).toEqual([])
    expect(hooksOf(`export const onAwaitResolve = () => {}\n${handler}`)).toEqual(['onAwaitResolve'])
    expect(hooksOf(`export const config = {\n`)).toEqual([])
  })
})
