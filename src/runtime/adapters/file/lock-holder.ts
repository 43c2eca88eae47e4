import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

/** The process holding a lock, as its lock file names it. */
export interface Holder {
  pid: number
  /** Linux boot id: a start time in clock ticks only means something within one boot. Absent without /proc. */
  boot?: string
  /** Start time in clock ticks since boot (`/proc/<pid>/stat` field 22): tells the holder from a later process with its pid. Absent without /proc. */
  start?: number
  /** Wall-clock ms when the holder started: tells this process from an earlier one with its pid where /proc is missing. */
  startedAt: number
  /** Unique per acquisition, so an opener's re-check and a holder's release see whether the file is still the one they read. */
  token: string
}

/** What an opener makes of a lock's holder. */
export type Verdict = 'this process' | 'alive' | 'dead'

/**
 * A holder whose lease was not refreshed for this long is taken over where /proc cannot tell whether it
 * still runs. Holders refresh every `LEASE_HEARTBEAT_MS`, so only a holder stalled for 10 s loses its lock.
 */
export const LEASE_STALE_MS = 10_000
/** How often a holder refreshes its lease (the lock file's mtime). */
export const LEASE_HEARTBEAT_MS = 2_000

/** Whether this system shows processes under /proc (Linux). */
export const procReadable = existsSync('/proc/self/stat')

interface ProcStat {
  /** `R`, `S`, `D`, `T` (stopped), ..., `Z` (zombie), `X` (dead). */
  state: string
  start: number
}

/** The state and start time of `pid` from /proc, or undefined when /proc has no entry for it (or hides it). */
async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
  return text === undefined ? undefined : parseProcStat(text)
}

function parseProcStat(text: string): ProcStat {
  // The command name (field 2) is in parentheses and may hold spaces or ')': fields 3.. follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: fields[0]!, start: Number(fields[19]) }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  }
  catch {
    return undefined
  }
}

/** This process, as it writes itself into a lock file (`token` aside). Every thread computes the same. */
export const thisProcess: Omit<Holder, 'token'> = {
  pid: process.pid,
  ...(procReadable ? { boot: readBootId(), start: parseProcStat(readFileSync('/proc/self/stat', 'utf8')).start } : {}),
  startedAt: Math.round(Date.now() - process.uptime() * 1000),
}

/** The holder a lock file names, or undefined if its text is not one. */
export function parseHolder(text: string): Holder | undefined {
  try {
    const holder = JSON.parse(text) as Holder | null
    // Not 0 or negative: signalling those reaches whole process groups, which would always look alive.
    return Number.isInteger(holder?.pid) && holder!.pid > 0 ? holder! : undefined
  }
  catch {
    return undefined
  }
}

/**
 * Whether `holder` (undefined: an unreadable lock file, which nvent never leaves behind while it runs) is
 * this process, another live one, or gone. With `procfs`, a zombie, a missing process or one that started at
 * another time is gone, and a process that matches is alive even if stopped: taking its lock would give
 * two writers once it resumes. The lease (`mtimeMs` older than `LEASE_STALE_MS`) decides only when /proc
 * cannot: without `procfs`, for a holder that recorded no start time, or when /proc hides the pid.
 */
export async function judgeHolder(holder: Holder | undefined, mtimeMs: number, procfs: boolean): Promise<Verdict> {
  if (!holder)
    return 'dead'
  if (holder.pid === thisProcess.pid)
    return isThisProcess(holder) ? 'this process' : 'dead'
  if (procfs) {
    const seen = await readProcStat(holder.pid)
    if (seen?.state === 'Z' || seen?.state === 'X')
      return 'dead'
    if (seen && holder.start !== undefined)
      return seen.start === holder.start && holder.boot === thisProcess.boot ? 'alive' : 'dead'
  }
  if (!signalable(holder.pid))
    return 'dead'
  return Date.now() - mtimeMs > LEASE_STALE_MS ? 'dead' : 'alive'
}

/** In a container the app is often pid 1 on every start: the same pid is only this process if it started when we did. */
function isThisProcess(holder: Holder): boolean {
  if (holder.start !== undefined && thisProcess.start !== undefined)
    return holder.start === thisProcess.start && holder.boot === thisProcess.boot
  // A second of slack for the rounding of uptime.
  return Math.abs(holder.startedAt - thisProcess.startedAt) < 1_000
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
