/**
 * A minimal Nuxt app (one page, one two-step flow on the memory backends), written out to be built: what a
 * build holds and weighs with nvent and its dashboard on or off, against the same app without nvent.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'pathe'
import { repoRoot } from './server'

export type MinimalAppVariant = 'without-nvent' | 'dashboard-off' | 'dashboard-on'

const FLOW = {
  'server/functions/greet.ts': `export const config = defineFunctionConfig({ flow: { name: 'hello', role: 'entry', step: 'greet', emits: ['greeted'] } })
export default defineFunction(async (input: { name: string }, ctx) => {
  await ctx.flow.emit('greeted', { name: input.name })
})
`,
  'server/functions/log.ts': `export const config = defineFunctionConfig({ flow: { name: 'hello', role: 'step', step: 'log', subscribes: ['greeted'] } })
export default defineFunction(async (input: Record<string, { name: string }>, ctx) => {
  ctx.logger.log('info', \`said hello to \${input.greeted?.name}\`)
})
`,
}

/** Writes the app into `dir` (emptied first); returns `dir`. */
export function writeMinimalApp(dir: string, variant: MinimalAppVariant): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'server/functions'), { recursive: true })
  const nvent = variant === 'without-nvent'
    ? ''
    : `modules: [${JSON.stringify(join(repoRoot, 'src/module.ts'))}],\n  nvent: { dashboard: { enabled: ${variant === 'dashboard-on'} } },\n  `
  writeFileSync(join(dir, 'nuxt.config.ts'), `export default defineNuxtConfig({\n  ${nvent}compatibilityDate: '2025-07-15',\n})\n`)
  writeFileSync(join(dir, 'app.vue'), '<template><main>Hello</main></template>\n')
  if (variant !== 'without-nvent') {
    for (const [file, code] of Object.entries(FLOW))
      writeFileSync(join(dir, file), code)
  }
  return dir
}

/** Every file under `dir`, with its path relative to `dir` and its size. */
export function filesUnder(dir: string): Array<{ path: string, bytes: number }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(path => join(dir, path))
    .filter(path => statSync(path).isFile())
    .map(path => ({ path: relative(dir, path), bytes: statSync(path).size }))
}

/** The file names of the DevTools client's build (devtools-client/dist/assets). */
export function clientAssetNames(): string[] {
  return readdirSync(join(repoRoot, 'devtools-client/dist/assets'))
}
