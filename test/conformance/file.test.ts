import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createFileQueue, createFileStore } from '../../adapters/file'
import { createMemoryStream } from '../../adapters/memory'
import type { Adapters } from './backend'
import { runConformance } from './suite'

const dirs = new Map<Adapters, string>()
afterAll(() => {
  for (const dir of new Set(dirs.values())) rmSync(dir, { recursive: true, force: true })
})

async function open(dir: string): Promise<Adapters> {
  const adapters = { queue: await createFileQueue({ dir }), store: await createFileStore({ dir }), stream: await createMemoryStream() }
  dirs.set(adapters, dir)
  return adapters
}

runConformance({
  name: 'file',
  create: () => open(mkdtempSync(join(tmpdir(), 'nvent-file-'))),
  async reopen(adapters) {
    await Promise.all([adapters.queue.close(), adapters.store.close(), adapters.stream.close()])
    return open(dirs.get(adapters)!)
  },
})
