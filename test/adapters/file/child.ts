/** Runs `fixtures/queue-child.ts` in its own process and watches what it prints. */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '../../..')
const jiti = join(root, 'node_modules/.bin/jiti')
const fixture = join(import.meta.dirname, 'fixtures/queue-child.ts')

export interface Child {
  proc: ChildProcess
  /** Everything printed so far. */
  output(): string
  /** Resolves with the output once it contains `text`; rejects if the child exits first. */
  printed(text: string): Promise<string>
  exited(): Promise<number | null>
}

export function startChild(dir: string, ...args: string[]): Child {
  return watch(spawn(jiti, [fixture, dir, ...args], { cwd: root }))
}

/**
 * Runs the fixture under a parent that never reaps it: sh starts it in the background, then becomes `sleep`
 * (which waits for no child), so a killed fixture stays a zombie. `proc` is that parent; the fixture's
 * output still reaches `printed`.
 */
export function startUnreapedChild(dir: string, ...args: string[]): Child {
  return watch(spawn('sh', ['-c', '"$@" & exec sleep 60', 'sh', process.execPath, jiti, fixture, dir, ...args], { cwd: root }))
}

function watch(proc: ChildProcess): Child {
  let output = ''
  proc.stdout!.on('data', (chunk) => { output += chunk })
  proc.stderr!.on('data', (chunk) => { output += chunk })
  const exit = new Promise<number | null>(resolve => proc.on('exit', code => resolve(code)))
  return {
    proc,
    output: () => output,
    printed: text => new Promise((resolve, reject) => {
      const check = () => output.includes(text) && resolve(output)
      proc.stdout!.on('data', check)
      exit.then(() => output.includes(text) ? resolve(output) : reject(new Error(`child exited before printing "${text}":\n${output}`)))
      check()
    }),
    exited: () => exit,
  }
}

/** SIGKILLs the child, as a crash would, and waits until it is gone. */
export async function crash(child: Child) {
  child.proc.kill('SIGKILL')
  await child.exited()
}
