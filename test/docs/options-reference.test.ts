import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { defaultOptions } from '../../src/runtime/defaults'
import { README_FILE, readOptionDocs, withFreshOptionsBlock } from '../../scripts/options-reference'

function valueAt(path: string): unknown {
  return path.split('.').reduce<any>((value, key) => value?.[key], defaultOptions)
}

describe('configuration reference', () => {
  const options = readOptionDocs()

  it('documents every option with a description and a default', () => {
    expect(options.length).toBeGreaterThan(20)
    for (const option of options) {
      expect(option.description, option.path).not.toBe('')
      expect(option.defaultValue, option.path).toBeTruthy()
    }
  })

  it('documents the defaults the runtime really applies', () => {
    for (const option of options) {
      // The @default text is our own literal; evaluating it compares docs and code value for value.
      // eslint-disable-next-line no-new-func
      const documented = new Function(`return (${option.defaultValue})`)()
      expect(valueAt(option.path), option.path).toEqual(documented)
    }
  })

  it('is current in the README (run `npm run docs:options` after changing an option)', () => {
    const readme = readFileSync(README_FILE, 'utf8')
    expect(withFreshOptionsBlock(readme)).toBe(readme)
  })
})
