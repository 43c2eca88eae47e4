/**
 * A value read through the transport: the latest result, the error of the latest failure (shown in the
 * tab, never swallowed), and `refresh` coalesced so a burst of live messages makes one read at a time.
 */
import type { Ref } from 'vue'
import { ref, shallowRef } from 'vue'

export interface Loader<T> {
  data: Ref<T | undefined>
  error: Ref<string | undefined>
  loading: Ref<boolean>
  /** Reads now, or once more after the read in flight. */
  refresh(): Promise<void>
}

export function createLoader<T>(read: () => Promise<T>): Loader<T> {
  const data = shallowRef<T>()
  const error = ref<string>()
  const loading = ref(false)
  let running: Promise<void> | undefined
  let again = false

  async function run() {
    loading.value = true
    try {
      do {
        again = false
        try {
          data.value = await read()
          error.value = undefined
        }
        catch (caught) {
          error.value = (caught as Error)?.message ?? String(caught)
        }
      } while (again)
    }
    finally {
      loading.value = false
      running = undefined
    }
  }

  return {
    data,
    error,
    loading,
    refresh() {
      if (running) {
        again = true
        return running
      }
      return running = run()
    },
  }
}

/** Calls `fn` at most once per `wait` ms, at the end of the window, with the latest arguments dropped. */
export function throttle(fn: () => void, wait: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  return () => {
    timer ??= setTimeout(() => {
      timer = undefined
      fn()
    }, wait)
  }
}
