/** Starting many runs of a flow at once and waiting for all of them, as the flow and memory measurements do. */
import type { Nvent } from '../src/runtime/nvent'
import { countdown } from './util'

export interface RunBatches {
  /** Starts `count` runs of `flowName` at once; resolves with their ids once every one has completed. */
  startAll(flowName: string, count: number, input?: (i: number) => unknown): Promise<string[]>
  close(): Promise<void>
}

/** A run that ends other than completed fails the batch at once, naming it, instead of leaving it to time out. */
export async function runBatches(nvent: Nvent): Promise<RunBatches> {
  let batch: ReturnType<typeof countdown> | undefined
  const close = await nvent.onEvent((event) => {
    if (event.type === 'flow.completed')
      batch?.tick()
    else if (event.type.startsWith('flow.') && event.type !== 'flow.start')
      batch?.fail(new Error(`run ${event.runId} ended with ${event.type}: ${JSON.stringify(event.data)}`))
  })
  return {
    async startAll(flowName, count, input = () => ({})) {
      batch = countdown(count, `runs of ${flowName}`, 600_000)
      const started = await Promise.all(Array.from({ length: count }, (_, i) => nvent.flow.start(flowName, input(i))))
      await batch.done
      return started.map(run => run.runId)
    },
    close,
  }
}
