import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GENERATED_FILE, renderScriptsModule } from '../../../scripts/redis-scripts'

describe('redis scripts module', () => {
  it('matches the .lua files (run `npm run build:lua` after editing one)', () => {
    const generated = renderScriptsModule()
    expect(generated).toContain('commitRun:')
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generated)
  })
})
