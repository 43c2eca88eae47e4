/** Step handlers running in this instance, so that cancel, failure or stall of their run aborts them. */
export class RunningHandlers {
  private readonly byRun = new Map<string, Set<AbortController>>()

  track(runId: string): AbortController {
    const controller = new AbortController()
    let set = this.byRun.get(runId)
    if (!set)
      this.byRun.set(runId, set = new Set())
    set.add(controller)
    return controller
  }

  release(runId: string, controller: AbortController): void {
    const set = this.byRun.get(runId)
    set?.delete(controller)
    if (set?.size === 0)
      this.byRun.delete(runId)
  }

  abortRun(runId: string, reason: string): void {
    for (const controller of this.byRun.get(runId) ?? [])
      controller.abort(new RunEndedError(reason))
  }

  abortAll(reason: string): void {
    for (const runId of this.byRun.keys())
      this.abortRun(runId, reason)
  }
}

/** The abort reason when a run ended under a running handler: not a failure of the handler. */
export class RunEndedError extends Error {
  override name = 'RunEndedError'
}
