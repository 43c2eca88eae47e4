import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createFileQueue, createFileStore } from '../../adapters/file'
import { createMemoryStream } from '../../adapters/memory'
import type { AdapterOptions, Adapters } from './backend'
import { runConformance } from './suite'

const opened = new Map<Adapters, { dir: string, options: AdapterOptions }>()
afterAll(() => {
  for (const dir of new Set([...opened.values()].map(entry => entry.dir))) rmSync(dir, { recursive: true, force: true })
})

async function open(dir: string, options: AdapterOptions = {}): Promise<Adapters> {
  const adapters = { queue: await createFileQueue({ dir }), store: await createFileStore({ dir, ...options }), stream: await createMemoryStream() }
  opened.set(adapters, { dir, options })
  return adapters
}

runConformance({
  name: 'file',
  create: options => open(mkdtempSync(join(tmpdir(), 'nvent-file-')), options),
  async reopen(adapters) {
    await Promise.all([adapters.queue.close(), adapters.store.close(), adapters.stream.close()])
    const { dir, options } = opened.get(adapters)!
    return open(dir, options)
  },
})
