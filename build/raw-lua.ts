/**
 * Lets Nitro bundle `import source from './script.lua?raw'` (the Redis backend's scripts) as a string,
 * as Vite does in tests, so the scripts travel inside the server bundle instead of being read from disk.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'pathe'

const SUFFIX = '.lua?raw'

export function rawLuaPlugin() {
  return {
    name: 'nvent:raw-lua',
    resolveId(id: string, importer?: string) {
      if (id.endsWith(SUFFIX) && importer)
        return resolve(dirname(importer), id)
    },
    load(id: string) {
      if (id.endsWith(SUFFIX))
        return `export default ${JSON.stringify(readFileSync(id.slice(0, -'?raw'.length), 'utf8'))}`
    },
  }
}
