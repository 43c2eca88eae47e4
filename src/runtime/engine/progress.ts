/**
 * `ctx.progress`: a step's progress as `step.progress` events in its run's log. A handler may report on
 * every item of a long loop, and each event is a store write and a live publish, so reports are coalesced.
 */

/** The data of a `step.progress` event. */
export interface ProgressReport {
  percent: number
  message?: string
}

/** A step writes at most one progress event per this many milliseconds. */
export const PROGRESS_WINDOW = 250

/** What `ctx.progress` was given as a report, or an Error naming what is wrong with it. */
export function progressReport(percent: unknown, message: unknown): ProgressReport {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    const shown = typeof percent === 'number' ? String(percent) : typeof percent === 'string' ? JSON.stringify(percent) : `a value of type ${typeof percent}`
    throw new Error(`ctx.progress: percent must be a finite number from 0 to 100 (got ${shown})`)
  }
  if (message !== undefined && typeof message !== 'string')
    throw new Error(`ctx.progress: message must be a string (got a value of type ${typeof message})`)
  return message === undefined ? { percent } : { percent, message }
}

/** Reports of one step, coalesced. */
export interface ProgressWriter {
  report(report: ProgressReport): void
  /** Writes the pending report now: the step's outcome must not commit ahead of it. */
  flush(): void
}

/**
 * The first report is written at once; one within `PROGRESS_WINDOW` of the last write replaces the pending
 * report, which is written when the window ends, so the latest report is never lost.
 */
export function coalesceProgress(write: (report: ProgressReport) => void): ProgressWriter {
  let windowEnd = 0
  let pending: ProgressReport | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  function writeNow(report: ProgressReport) {
    windowEnd = Date.now() + PROGRESS_WINDOW
    write(report)
  }
  function flush() {
    clearTimeout(timer)
    timer = undefined
    const report = pending
    pending = undefined
    if (report)
      writeNow(report)
  }
  return {
    report(report) {
      const wait = windowEnd - Date.now()
      if (wait <= 0 && !pending)
        return writeNow(report)
      pending = report
      timer ??= setTimeout(flush, Math.max(wait, 0))
    },
    flush,
  }
}
