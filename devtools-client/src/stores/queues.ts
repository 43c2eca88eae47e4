/**
 * Queues: every queue's counts and paused state, and the selected queue's jobs by state, paged by offset.
 * A `queue.counts` message carries the counts themselves, so they change at once; the job list, which it
 * does not carry, re-reads (throttled) when its queue's counts change.
 */
import { ref } from 'vue'
import type { Job, JobState } from '../../../src/runtime/contracts/queue'
import type { MonitorMessage, QueueSummary } from '../../../src/runtime/types/monitor'
import type { Transport } from '../transport/transport'
import { createLoader, throttle } from './loader'
import { requireActions } from './require-actions'

const LIVE_REFRESH = 400

export function createQueuesStore(transport: Transport, pageSize = 20) {
  const list = createLoader(() => transport.reads.queues())
  const selected = ref<string>()
  /** The state tab; undefined lists every state. */
  const state = ref<JobState>()
  const offset = ref(0)

  async function readJobs() {
    const queue = selected.value
    if (queue === undefined)
      return undefined
    const read = () => transport.reads.jobs(queue, { state: state.value, limit: pageSize, offset: offset.value })
    const page = await read()
    // Jobs went (removed, pruned, moved on) and left this page empty: show the last page there still is.
    if (page.items.length === 0 && offset.value > 0) {
      offset.value = Math.max(0, Math.ceil(page.total / pageSize) - 1) * pageSize
      return read()
    }
    return page
  }
  const jobs = createLoader(readJobs)
  const refreshJobsSoon = throttle(() => void jobs.refresh(), LIVE_REFRESH)

  function update(name: string, change: Partial<QueueSummary>) {
    list.data.value = list.data.value?.map(queue => queue.name === name ? { ...queue, ...change } : queue)
  }

  /** Runs a job action that answers false when the job is not in a state it applies to. */
  async function onJob(job: Job, action: () => Promise<boolean>, refused: string) {
    const done = await action()
    await Promise.all([jobs.refresh(), list.refresh()])
    if (!done)
      throw new Error(`Job ${job.id} ${refused}`)
  }

  return {
    list,
    jobs,
    selected,
    state,
    pageSize,
    offset,
    hasPrevious: () => offset.value > 0,
    hasNext: () => offset.value + pageSize < (jobs.data.value?.total ?? 0),
    async select(queue: string | undefined, jobState?: JobState) {
      if (queue === selected.value && jobState === state.value)
        return
      selected.value = queue
      state.value = jobState
      offset.value = 0
      jobs.data.value = undefined
      jobs.error.value = undefined
      await jobs.refresh()
    },
    async next() {
      offset.value += pageSize
      await jobs.refresh()
    },
    async previous() {
      offset.value = Math.max(0, offset.value - pageSize)
      await jobs.refresh()
    },
    async setPaused(queue: string, paused: boolean) {
      const actions = requireActions(transport)
      await (paused ? actions.pauseQueue(queue) : actions.resumeQueue(queue))
      // No message tells of a pause: the answer does.
      update(queue, { paused })
    },
    retry(job: Job) {
      return onJob(job, () => requireActions(transport).retryJob(job.queue, job.id), 'was not retried: only a failed job can be, and it is not failed (any more)')
    },
    remove(job: Job) {
      return onJob(job, () => requireActions(transport).removeJob(job.queue, job.id), 'was not removed: it is running, or already gone')
    },
    apply(message: MonitorMessage) {
      if (message.type !== 'queue.counts')
        return
      if (list.data.value?.some(queue => queue.name === message.queue))
        update(message.queue, { counts: message.counts })
      else
        void list.refresh()
      if (message.queue === selected.value)
        refreshJobsSoon()
    },
    /** The first read, or one after messages were lost. */
    async refresh() {
      await Promise.all([list.refresh(), jobs.refresh()])
    },
  }
}

export type QueuesStore = ReturnType<typeof createQueuesStore>
