/**
 * The Nvent tab's client (devtools-client/): a prebuilt single-page app. In this repository its sources
 * sit beside the module, and the dev server builds it when the build is missing or older than them; an
 * installed package carries only the build. The dev server serves it from the Nuxt process.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import type { EventHandler } from 'h3'
import { defineEventHandler, serveStatic } from 'h3'
import { extname, join } from 'pathe'
import { globSync } from 'tinyglobby'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

/** The newest modification time among the client's sources and configs, or 0 where there are none. */
function newestSource(root: string): number {
  const files = globSync(['src/**', 'public/**', '*.ts', 'index.html'], { cwd: root, absolute: true })
  return Math.max(0, ...files.map(file => statSync(file).mtimeMs))
}

/** Builds the client into `<root>/dist` when its sources are newer than the build; resolves the dist dir. */
export async function ensureClientBuilt(root: string, log: (message: string) => void): Promise<string> {
  const dist = join(root, 'dist')
  const built = join(dist, 'index.html')
  const sources = newestSource(root)
  if (sources === 0 || (existsSync(built) && statSync(built).mtimeMs >= sources))
    return dist
  log('building the Nvent DevTools client (devtools-client/)…')
  const { build } = await import('vite')
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
  return dist
}

/** Serves the built client; every path that is not a file answers the app's page (its views are in the hash). */
export function serveClient(dist: string, route: string): EventHandler {
  const prefix = route.replace(/^\/+/, '')
  const fileOf = (path: string) => {
    const relative = decodeURIComponent(path.split('?')[0]!).replace(/^\/+/, '')
    const file = join(dist, (relative.startsWith(prefix) ? relative.slice(prefix.length) : relative) || 'index.html')
    // Nothing outside the build is served, whatever `..` a path holds.
    return file.startsWith(`${dist}/`) && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html')
  }
  return defineEventHandler(event => serveStatic(event, {
    getMeta: (id) => {
      const file = fileOf(id)
      const { size, mtimeMs } = statSync(file)
      return { type: TYPES[extname(file)] ?? 'application/octet-stream', size, mtime: mtimeMs }
    },
    getContents: id => readFileSync(fileOf(id)),
  }))
}
