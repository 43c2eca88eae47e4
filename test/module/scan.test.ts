import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'pathe'
import { afterAll, describe, expect, it } from 'vitest'
import { scanFunctions } from '../../src/module/scan'

const root = mkdtempSync(join(tmpdir(), 'nvent-scan-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function files(dir: string, paths: string[]): string {
  for (const path of paths) {
    mkdirSync(dirname(join(root, dir, path)), { recursive: true })
    writeFileSync(join(root, dir, path), 'export default () => {}')
  }
  return join(root, dir)
}
const display = (file: string) => relative(root, file)

describe('scanFunctions', () => {
  it('names functions by their path without extension, skipping declaration files', async () => {
    const dir = files('ids', ['send-email.ts', 'example/first_step.mjs', 'legacy.js', 'types.d.ts', 'notes.md'])
    const { functions } = await scanFunctions([dir], display)
    expect(functions.map(fn => fn.id)).toEqual(['example/first_step', 'legacy', 'send-email'])
    expect(functions[0]?.file).toBe(join(dir, 'example/first_step.mjs'))
  })

  it('lets the first layer win an id two layers provide', async () => {
    const app = files('app', ['shared.ts'])
    const layer = files('layer', ['shared.ts', 'extra.ts'])
    const { functions, issues } = await scanFunctions([app, layer], display)
    expect(issues).toEqual([])
    expect(functions).toEqual([
      { id: 'extra', file: join(layer, 'extra.ts') },
      { id: 'shared', file: join(app, 'shared.ts') },
    ])
  })

  it('reports two files with one id in the same layer', async () => {
    const dir = files('clash', ['a.ts', 'a.js'])
    const { issues } = await scanFunctions([dir], display)
    expect(issues).toEqual([{ files: ['clash/a.js', 'clash/a.ts'], field: '', message: `both define the function 'a'; keep one` }])
  })

  it('finds nothing in a missing folder', async () => {
    expect((await scanFunctions([join(root, 'missing')], display)).functions).toEqual([])
  })
})
