/**
 * The flows view: the flows' graphs, the selected flow, its recent runs and one run's detail to colour the
 * graph with. Live messages re-read the runs list and the run (throttled); the flows are re-read on a
 * timer by the view, keeping the same objects while nothing changed so the graph is not laid out again.
 */
import { computed, ref } from 'vue'
import type { AwaitPhase } from '../../../src/runtime/types/await'
import type { FlowGraph, MonitorMessage, RunSummary } from '../../../src/runtime/types/monitor'
import type { StepRecord } from '../../../src/runtime/types/run'
import type { Transport } from '../transport/transport'
import { createLoader, throttle } from './loader'

const RUN_LIMIT = 20
const LIVE_REFRESH = 250

export function createFlowsStore(transport: Transport) {
  let held: { text: string, graphs: FlowGraph[] } | undefined
  const flows = createLoader(async () => {
    const graphs = await transport.reads.flows()
    const text = JSON.stringify(graphs)
    if (held?.text !== text)
      held = { text, graphs }
    return held.graphs
  })
  const flowName = ref<string>()
  const flow = computed<FlowGraph | undefined>(() => flows.data.value?.find(graph => graph.name === flowName.value))

  // Tagged with the flow they were read for: a read still in flight when the selection changes is ignored.
  const runsLoader = createLoader(async () => {
    const name = flowName.value
    return { name, items: name ? (await transport.reads.runs({ flow: name, limit: RUN_LIMIT })).items : [] }
  })
  const runs = computed<RunSummary[]>(() => {
    const read = runsLoader.data.value
    return read && read.name === flowName.value ? read.items : []
  })

  /** Following shows the newest run, switching as new ones start; otherwise `chosen` (none: the bare graph). */
  const following = ref(true)
  const chosen = ref<string>()
  const runId = computed(() => following.value ? runs.value[0]?.id : chosen.value)
  const runLoader = createLoader(async () => runId.value ? transport.reads.run(runId.value) : null)
  const run = computed(() => runLoader.data.value?.run.id === runId.value ? runLoader.data.value ?? undefined : undefined)

  /** Reads the run shown when it is not the one held. */
  async function syncRun() {
    if (runId.value && runLoader.data.value?.run.id !== runId.value)
      await runLoader.refresh()
  }
  async function loadRuns() {
    await runsLoader.refresh()
    await syncRun()
  }
  const loadRunsSoon = throttle(() => void loadRuns(), LIVE_REFRESH)
  const loadRunSoon = throttle(() => void runLoader.refresh(), LIVE_REFRESH)

  return {
    flows,
    flowName,
    flow,
    runs,
    runsError: runsLoader.error,
    following,
    runId,
    run,
    runError: runLoader.error,
    /** The steps of the run shown by name; undefined while no run is shown. */
    steps: computed<Record<string, StepRecord> | undefined>(() => run.value?.run.steps),
    async select(name: string | undefined) {
      if (name === flowName.value)
        return
      flowName.value = name
      following.value = true
      chosen.value = undefined
      await loadRuns()
    },
    /** A run id, 'latest' to follow the newest run, or undefined for the bare graph. */
    async selectRun(id: string | 'latest' | undefined) {
      following.value = id === 'latest'
      chosen.value = id === 'latest' ? undefined : id
      await syncRun()
    },
    /** Everything again, after lost messages or a changed app. */
    async reload() {
      await Promise.all([flows.refresh(), runsLoader.refresh().then(() => runLoader.refresh())])
    },
    apply(message: MonitorMessage) {
      if (message.type !== 'run.event' || message.event.flowName !== flowName.value)
        return
      const { event } = message
      // Runs start and end with flow.* events: the list's badges (and the newest run) change only then.
      if (event.type.startsWith('flow.'))
        loadRunsSoon()
      if (event.runId === runId.value && event.type !== 'log')
        loadRunSoon()
    },
  }
}

export type FlowsStore = ReturnType<typeof createFlowsStore>

/**
 * How far a step's await has come, as a status colour: `awaiting` while open, `completed` once passed or
 * resolved, `failed` when it ended the step; undefined while not reached.
 */
export function awaitStatus(step: StepRecord | undefined, phase: AwaitPhase): StepRecord['status'] | undefined {
  if (!step)
    return undefined
  const open = step.await
  if (open?.phase === phase) {
    if (!open.outcome)
      return step.status === 'canceled' ? 'canceled' : 'awaiting'
    return open.outcome === 'rejected' || (open.outcome === 'timeout' && step.status === 'failed') ? 'failed' : 'completed'
  }
  if (step.status === 'canceled')
    return 'canceled'
  // The before await is behind a step that ran, or that awaits after; the after await only shows its own record.
  const ran = step.status !== 'queued' && step.status !== 'awaiting'
  return phase === 'before' && (ran || open?.phase === 'after') ? 'completed' : undefined
}
