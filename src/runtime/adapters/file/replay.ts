import { open, readFile, rename } from 'node:fs/promises'

/** What a snapshot file holds: the state after every op up to `seq`. */
export interface Snapshot {
  seq: number
  state: unknown
}

export async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      return undefined
    throw error
  })
  if (text === undefined)
    return undefined
  try {
    return JSON.parse(text) as Snapshot
  }
  catch (error) {
    // Snapshots are renamed into place whole, so this is damage from outside, not a crash.
    throw new Error(`nvent: the snapshot ${path} is corrupt (${(error as Error).message})`)
  }
}

/**
 * Applies the journal's ops after `afterSeq`. An unterminated last line is a write the crash cut short;
 * it was never acknowledged, so it is dropped (and cut from the file, so new lines do not append to it).
 * Any other line that does not parse is damage, and fails the open naming the file and line.
 */
export async function replayJournal<Op>(path: string, afterSeq: number, apply: (op: Op) => void) {
  const handle = await open(path, 'a+')
  try {
    const content = await handle.readFile()
    const end = content.lastIndexOf(0x0A) + 1
    const lines = content.subarray(0, end).toString('utf8').split('\n')
    lines.pop()
    let seq = afterSeq
    for (const [index, line] of lines.entries()) {
      const entry = parseLine(line, path, index + 1)
      if (entry.n > afterSeq) {
        apply(entry.op as Op)
        seq = entry.n
      }
    }
    if (end < content.length) {
      await handle.truncate(end)
      await handle.datasync()
    }
    return { seq, size: end }
  }
  finally {
    await handle.close()
  }
}

function parseLine(line: string, path: string, lineNumber: number): { n: number, op: unknown } {
  let entry: { n?: unknown, op?: unknown } | undefined
  try {
    entry = JSON.parse(line)
  }
  catch {
    // Reported below, with the line's place.
  }
  if (typeof entry?.n !== 'number' || typeof entry.op !== 'object' || entry.op === null)
    throw new Error(`nvent: ${path} line ${lineNumber} is corrupt, so the journal cannot be replayed: ${JSON.stringify(line.slice(0, 80))}`)
  return { n: entry.n, op: entry.op }
}

/** Replaces `path` whole: a reader sees the old content or the new, never a mix. */
export async function writeFileDurably(path: string, content: string) {
  const temp = `${path}.tmp`
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(content)
    await handle.sync()
  }
  finally {
    await handle.close()
  }
  await rename(temp, path)
}

/** Makes a rename in `dir` durable. Some platforms cannot open a dir for syncing; there it is skipped. */
export async function syncDir(dir: string) {
  const handle = await open(dir, 'r').catch(() => undefined)
  try {
    await handle?.sync()
  }
  catch {
    // Not supported here (e.g. Windows); the rename is still atomic.
  }
  finally {
    await handle?.close()
  }
}
