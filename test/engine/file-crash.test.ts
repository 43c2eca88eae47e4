// The file backend under kill -9: a process running flows is killed mid-step and restarted on the same
// data dir. Every run must complete, and every step activation must complete exactly once.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileStore } from '../../adapters/file'
import { countEvents } from '../helpers/engine-app'

const root = join(import.meta.dirname, '../..')
const dataDir = mkdtempSync(join(tmpdir(), 'nvent-crash-'))
const RUNS = 30

function child(...args: string[]) {
  const proc = spawn(join(root, 'node_modules/.bin/jiti'), [join(import.meta.dirname, 'fixtures/crash-app.ts'), dataDir, ...args], { cwd: root })
  let output = ''
  proc.stdout.on('data', (chunk) => { output += chunk })
  proc.stderr.on('data', (chunk) => { output += chunk })
  const printed = (text: string) => new Promise<void>((resolve, reject) => {
    const check = () => output.includes(text) ? resolve() : undefined
    proc.stdout.on('data', check)
    proc.on('exit', code => output.includes(text) ? resolve() : reject(new Error(`child exited (${code}) before printing "${text}":\n${output}`)))
    check()
  })
  return { proc, printed }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('file backend crash safety', () => {
  it('completes every run exactly once per step after a SIGKILL mid-step', { timeout: 60_000 }, async () => {
    const first = child('start', String(RUNS))
    await first.printed('started')
    await new Promise(resolve => setTimeout(resolve, 150))
    first.proc.kill('SIGKILL')
    await new Promise(resolve => first.proc.on('exit', resolve))

    // The kill landed mid-flow: runs were still running, and some steps were running when it hit.
    const before = await createFileStore({ dir: join(dataDir, 'store') })
    const running = (await before.listRuns('chain', { status: 'running', limit: 100 })).items
    await before.close()
    expect(running.length).toBeGreaterThan(0)
    expect(running.some(run => Object.values(run.steps).some(step => step.status === 'running'))).toBe(true)

    const second = child('resume')
    await second.printed('done')
    await new Promise(resolve => second.proc.on('exit', resolve))

    const store = await createFileStore({ dir: join(dataDir, 'store') })
    try {
      const page = await store.listRuns('chain', { limit: 100 })
      expect(page.total).toBe(RUNS)
      for (const run of page.items) {
        expect(run.status, run.id).toBe('completed')
        const events = await store.readEvents(run.id, { limit: 1000 })
        for (const step of ['one', 'two', 'three']) {
          expect(countEvents(events, 'step.completed', step), `${run.id} ${step}`).toBe(1)
        }
      }
    }
    finally {
      await store.close()
    }
  })
})
