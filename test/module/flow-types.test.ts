/** The flow types the module writes into `.nuxt`: what each flow's names, entry input and payloads become. */
import { fileURLToPath } from 'node:url'
import { join } from 'pathe'
import { describe, expect, it } from 'vitest'
import { compileFunctions } from '../../src/module/compile'
import { flowTypesModule } from '../../src/module/flow-types'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

describe('flow types', () => {
  it('declares each flow with its entry\'s input, events typed `any` where no emitter exports `Emits`, and the trigger and awaiting step names', async () => {
    const root = fixture('valid-triggers')
    const { registry, issues } = await compileFunctions({ rootDir: root, serverDirs: [join(root, 'server')], dir: 'functions' })
    expect(issues).toEqual([])
    const types = await flowTypesModule(registry, '/pkg/runtime/types/typed')
    expect(types).toContain('declare module "/pkg/runtime/types/typed" {')
    for (const flow of Object.values(registry.flows)) {
      const entryFile = registry.functions[flow.steps[flow.entry]!.functionId]!.file
      expect(types).toContain(`      ${JSON.stringify(flow.name)}: {\n        input: Parameters<typeof import(${JSON.stringify(entryFile)}).default>[0]`)
      for (const event of Object.values(flow.steps).flatMap(step => step.emits))
        expect(types).toContain(`          ${JSON.stringify(event)}: any`)
    }
    expect(types).toContain(`    triggers: ${Object.keys(registry.triggers).map(name => JSON.stringify(name)).join(' | ')}\n`)
    expect(types).toMatch(/: any$/m)
    expect(types).toMatch(/ {4}awaitSteps: "[^"]+"/)
  })
})
