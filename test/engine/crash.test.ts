// Each persistent backend under kill -9: a process running flows is killed mid-step and another takes
// over the same data. Every run completes, every step activation completes exactly once, and the steps
// the killed process was running run again within the backend's crash recovery time.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { afterAll, describe, expect, it } from 'vitest'
import { countEvents } from '../helpers/engine-app'
import type { PersistentBackend } from '../helpers/backend-adapters'
import { openAdapters, removeNamespaces } from '../helpers/backend-adapters'
import { POSTGRES_URL, REDIS_URL, unreachableReason } from '../helpers/services'
import { CRASH_RECOVERY } from './fixtures/crash-options'

const root = join(import.meta.dirname, '../..')
const RUNS = 30

const backends: Array<{ name: PersistentBackend, skip?: string }> = [
  { name: 'file' },
  { name: 'redis', skip: await unreachableReason('Redis', REDIS_URL) },
  { name: 'postgres', skip: await unreachableReason('PostgreSQL', POSTGRES_URL) },
]

function child(backend: PersistentBackend, namespace: string, ...args: string[]) {
  const proc = spawn(join(root, 'node_modules/.bin/jiti'), [join(import.meta.dirname, 'fixtures/crash-app.ts'), backend, namespace, ...args], { cwd: root })
  let output = ''
  proc.stdout.on('data', (chunk) => { output += chunk })
  proc.stderr.on('data', (chunk) => { output += chunk })
  const exited = new Promise<void>(resolve => proc.on('exit', () => resolve()))
  const printed = (text: string, timeout: number) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not print "${text}" within ${timeout} ms:\n${output}`)), timeout)
    const check = () => output.includes(text) && (clearTimeout(timer), resolve())
    proc.stdout.on('data', check)
    exited.then(() => output.includes(text) ? resolve() : reject(new Error(`child exited before printing "${text}":\n${output}`)))
    check()
  })
  return { proc, printed, exited, kill: () => (proc.kill('SIGKILL'), exited), stop: () => (proc.kill('SIGTERM'), exited) }
}

for (const { name, skip } of backends) {
  describe.skipIf(Boolean(skip))(`${name} backend crash safety`, () => {
    const namespace = name === 'file' ? mkdtempSync(join(tmpdir(), 'nvent-crash-')) : `nvent_crash_${randomUUID().slice(0, 8)}`
    afterAll(() => removeNamespaces(name, [namespace]))

    it('completes every run exactly once per step after a SIGKILL mid-step, with the cut-off steps run again', { timeout: 90_000 }, async () => {
      const first = child(name, namespace, 'start', String(RUNS))
      await first.printed('started', 30_000)
      await new Promise(resolve => setTimeout(resolve, 150))
      await first.kill()

      // The kill landed mid-flow: runs were still running, and some steps were running when it hit.
      const before = await openAdapters(name, namespace)
      const running = (await before.store.listRuns({ flow: 'chain', status: 'running', limit: 100 })).items
      await Promise.all([before.queue.close(), before.store.close(), before.stream.close()])
      expect(running.length).toBeGreaterThan(0)
      expect(running.some(run => Object.values(run.steps).some(step => step.status === 'running'))).toBe(true)

      // Another process takes over: the killed one's running jobs come back within the recovery time
      // (plus the time the runs after them take), not after a backend default of minutes.
      const second = child(name, namespace, 'resume')
      try {
        await second.printed('done', 5 * CRASH_RECOVERY + 10_000)
      }
      finally {
        await second.stop()
      }

      const after = await openAdapters(name, namespace)
      try {
        const page = await after.store.listRuns({ flow: 'chain', limit: 100 })
        expect(page.total).toBe(RUNS)
        for (const run of page.items) {
          expect(run.status, run.id).toBe('completed')
          const events = await after.store.readEvents(run.id, { limit: 1000 })
          for (const step of ['one', 'two', 'three'])
            expect(countEvents(events, 'step.completed', step), `${run.id} ${step}`).toBe(1)
        }
      }
      finally {
        await Promise.all([after.queue.close(), after.store.close(), after.stream.close()])
      }
    })
  })
}
