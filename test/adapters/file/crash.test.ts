// A process killed with SIGKILL loses nothing it acknowledged, and its running jobs run again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileQueue } from '../../../src/runtime/adapters/file'
import type { QueueAdapter } from '../../../src/runtime/contracts/queue'
import { waitFor } from '../../conformance/adapter-helpers'
import { crash, startChild } from './child'

let dir: string
let queue: QueueAdapter | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nvent-crash-'))
})
afterEach(async () => {
  await queue?.close()
  queue = undefined
  rmSync(dir, { recursive: true, force: true })
})

describe('file queue after a crash', () => {
  it('keeps every job whose enqueue was acknowledged before a SIGKILL', async () => {
    const child = startChild(dir, 'enqueue', '100000')
    await waitFor(() => child.output().split('acked ').length > 60, 'sixty acknowledged jobs', 20_000)
    await crash(child)
    const acked = [...child.output().matchAll(/acked (\S+)\n/g)].map(match => match[1])
    expect(acked.length).toBeGreaterThanOrEqual(60)

    queue = await createFileQueue({ dir })
    const missing = []
    for (const id of acked) {
      if (!await queue.getJob('q', id))
        missing.push(id)
    }
    expect(missing).toEqual([])
    expect((await queue.counts('q')).waiting).toBeGreaterThanOrEqual(acked.length)
  })

  it('puts a job that was running at the crash back to waiting, and runs it again', async () => {
    const child = startChild(dir, 'active')
    const output = await child.printed('running ')
    const id = /running (\S+)/.exec(output)![1]
    await crash(child)
    expect(readFileSync(join(dir, 'queue.journal'), 'utf8')).toContain('"type":"start"')

    queue = await createFileQueue({ dir })
    expect(await queue.getJob('q', id)).toMatchObject({ state: 'waiting', attemptsMade: 0 })
    expect(await queue.counts('q')).toMatchObject({ active: 0, waiting: 1 })
    queue.process('q', async () => 'second life', { concurrency: 1 })
    await waitFor(async () => (await queue!.getJob('q', id))?.state === 'completed', 'the rerun to complete')
    expect(await queue.getJob('q', id)).toMatchObject({ attemptsMade: 1, returnValue: 'second life' })
  })
})
