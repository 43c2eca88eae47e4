// The adapter-wide retention option of the file queue (the conformance suite covers per-job retention).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileQueue } from '../../../src/runtime/adapters/file'
import type { QueueAdapter } from '../../../src/runtime/contracts/queue'
import { waitFor } from '../../conformance/adapter-helpers'

const dir = mkdtempSync(join(tmpdir(), 'nvent-retention-'))
let queue: QueueAdapter | undefined
afterEach(async () => {
  await queue?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('file queue retention', () => {
  it('keeps the configured number of finished jobs, also after a restart', async () => {
    queue = await createFileQueue({ dir, retention: { completed: { count: 2 }, failed: { count: 1 } } })
    queue.process('q', async job => job.name === 'bad' ? Promise.reject(new Error('bad')) : 'ok', { concurrency: 1 })
    await Promise.all(['ok', 'ok', 'ok', 'bad', 'bad', 'ok'].map(name => queue!.enqueue('q', { name, data: null })))
    await waitFor(async () => {
      const counts = await queue!.counts('q')
      return counts.waiting + counts.active === 0
    }, 'every job to finish')
    expect(await queue.counts('q')).toMatchObject({ completed: 2, failed: 1 })
    await queue.close()
    queue = await createFileQueue({ dir })
    expect(await queue.counts('q')).toMatchObject({ completed: 2, failed: 1 })
  })
})
