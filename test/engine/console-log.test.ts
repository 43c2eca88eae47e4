import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { consola } from 'consola'
import { consolePrinter } from '../../src/runtime/engine/console-log'
import type { ConsoleFormat } from '../../src/runtime/types/options'
import { startApp, waitForRunEnd } from '../helpers/engine-app'
import { memoryBackend } from '../helpers/memory-backend'

/** What the printer wrote to stdout and stderr while `act` ran. */
function captured(act: () => void | Promise<void>) {
  const out: string[] = []
  const err: string[] = []
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true })
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true })
  const restore = () => { stdout.mockRestore(); stderr.mockRestore() }
  // Lines printed in one turn of the event loop are written at its end.
  const turnEnd = () => new Promise(resolve => setImmediate(resolve))
  return Promise.resolve().then(act).then(turnEnd).finally(restore).then(() => ({ out, err }))
}

afterEach(() => vi.restoreAllMocks())

describe('consolePrinter', () => {
  it('plain: one line with time, level, origin, message and meta as JSON; warnings and errors on stderr', async () => {
    const print = consolePrinter('plain')
    const { out, err } = await captured(() => {
      print({ where: 'orders/charge', runId: 'r1', level: 'info', message: 'charged', meta: { amount: 12, ok: true } })
      print({ where: 'orders/charge', level: 'error', message: 'declined' })
    })
    expect(out).toHaveLength(1)
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO \[nvent\] \[orders\/charge\] charged \{"amount":12,"ok":true\}\n$/)
    expect(err).toEqual([expect.stringMatching(/ ERROR \[nvent\] \[orders\/charge\] declined\n$/)])
  })

  it('writes the lines of one turn of the event loop together, in order, one write per stream', async () => {
    const print = consolePrinter('plain')
    const { out, err } = await captured(() => {
      for (let i = 0; i < 3; i++)
        print({ where: 'a', level: 'info', message: `line ${i}` })
      print({ where: 'a', level: 'warn', message: 'careful' })
    })
    expect(out).toHaveLength(1)
    expect(out[0]!.split('\n').map(line => line.replace(/^\S+ /, ''))).toEqual(['INFO [nvent] [a] line 0', 'INFO [nvent] [a] line 1', 'INFO [nvent] [a] line 2', ''])
    expect(err).toEqual([expect.stringMatching(/WARN \[nvent\] \[a\] careful\n$/)])
  })

  it('still writes what was printed when the process exits in the same turn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nvent-console-'))
    const script = join(dir, 'exit.ts')
    writeFileSync(script, `import { consolePrinter } from ${JSON.stringify(fileURLToPath(new URL('../../src/runtime/engine/console-log.ts', import.meta.url)))}
consolePrinter('plain')({ where: 'a', level: 'info', message: 'last words' })
process.exit(0)
`)
    try {
      const child = spawnSync(process.execPath, [fileURLToPath(new URL('../../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url)), script], { encoding: 'utf8' })
      expect(child.stdout).toMatch(/INFO \[nvent\] \[a\] last words\n$/)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('json: one parseable object per line, with the run', async () => {
    const { out } = await captured(() => consolePrinter('json')({ where: 'orders/charge', runId: 'r1', level: 'info', message: 'charged', meta: { amount: 12 } }))
    expect(out).toHaveLength(1)
    expect(JSON.parse(out[0]!)).toEqual({ time: expect.any(String), level: 'info', tag: 'nvent', where: 'orders/charge', runId: 'r1', message: 'charged', meta: { amount: 12 } })
  })

  it('json: a cyclic meta is shown as Node prints it', async () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const { err } = await captured(() => consolePrinter('json')({ where: 'nightly', level: 'warn', message: 'cycle', meta: cyclic }))
    const line = JSON.parse(err[0]!)
    expect(line).toMatchObject({ level: 'warn', message: 'cycle' })
    expect(line.meta).toContain('[Circular *1]')
  })

  it('prints debug lines only when consola\'s level asks for them; off prints nothing', async () => {
    const level = consola.level
    try {
      const quiet = await captured(() => {
        consolePrinter('plain')({ where: 'a', level: 'debug', message: 'hidden' })
        consolePrinter('off')({ where: 'a', level: 'error', message: 'never' })
      })
      expect([...quiet.out, ...quiet.err]).toEqual([])
      consola.level = 4
      const loud = await captured(() => consolePrinter('plain')({ where: 'a', level: 'debug', message: 'shown' }))
      expect(loud.out).toEqual([expect.stringContaining('DEBUG [nvent] [a] shown')])
    }
    finally {
      consola.level = level
    }
  })
})

describe('logging.console in a running app', () => {
  const logFlow = { flows: { talk: [{ step: 'say', entry: true, run: async (_: unknown, ctx: any) => ctx.logger.log('info', `hello from ${ctx.runId}`, { n: 1 }) }] } }

  it.each<[ConsoleFormat, RegExp | null]>([
    ['plain', / INFO \[nvent\] \[talk\/say\] hello from \S+ \{"n":1\}\n$/],
    ['json', /"where":"talk\/say","runId":"[^"]+","message":"hello from [^"]+","meta":\{"n":1\}\}\n$/],
    ['off', null],
  ])('%s: printed as configured, and the run log keeps the line either way', async (format, printed) => {
    const app = await startApp(memoryBackend, logFlow, { logging: { console: format } })
    try {
      let runId = ''
      const { out } = await captured(async () => {
        runId = (await app.nvent.flow.start('talk', {})).runId
        await waitForRunEnd(app.nvent, runId)
      })
      const lines = out.filter(line => line.includes('hello from'))
      if (printed)
        expect(lines).toEqual([expect.stringMatching(printed)])
      else
        expect(lines).toEqual([])
      const logs = (await app.nvent.flow.events(runId)).filter(e => e.type === 'log').map(e => e.data)
      expect(logs).toEqual([{ level: 'info', message: `hello from ${runId}`, meta: { n: 1 } }])
    }
    finally {
      await app.close()
    }
  })
})
