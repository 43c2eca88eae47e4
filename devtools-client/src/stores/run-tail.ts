/**
 * A run's log read from a cursor: the events held so far, and reads of what came after the last one.
 * Reads queue behind each other, so a live burst never reads (and appends) the same page twice.
 */
import { ref, shallowRef } from 'vue'
import type { RunEvent } from '../../../src/runtime/types/run'

export function createEventTail(read: (after: string | undefined, limit: number) => Promise<RunEvent[]>, pageSize = 500) {
  const items = shallowRef<RunEvent[]>([])
  const error = ref<string>()
  let queue = Promise.resolve()
  /** Bumped by `reset`: a read begun before it appends nothing. */
  let generation = 0

  async function readAfterLast(started: number) {
    for (;;) {
      const page = await read(items.value.at(-1)?.id, pageSize)
      if (started !== generation)
        return
      if (page.length > 0)
        items.value = [...items.value, ...page]
      if (page.length < pageSize)
        return
    }
  }

  function more(): Promise<void> {
    const started = generation
    queue = queue.then(() => readAfterLast(started)).then(
      () => { error.value = undefined },
      (caught) => { error.value = (caught as Error)?.message ?? String(caught) },
    )
    return queue
  }

  return {
    items,
    error,
    /** Reads every event after the last one held: the whole log the first time. */
    more,
    /** Forgets what is held and reads from the start: a changed filter, or lost live messages. */
    reset(): Promise<void> {
      generation++
      items.value = []
      return more()
    },
  }
}

export type EventTail = ReturnType<typeof createEventTail>
