/**
 * Runs an action and keeps what the user must see: whether it is running (controls disable themselves)
 * and its error (shown in the view, never swallowed).
 */
import { ref } from 'vue'

export function useAction() {
  const busy = ref(false)
  const error = ref<string>()
  return {
    busy,
    error,
    /** Resolves the action's result, or undefined after showing why it failed. */
    async run<T>(action: () => Promise<T>): Promise<T | undefined> {
      busy.value = true
      error.value = undefined
      try {
        return await action()
      }
      catch (caught) {
        error.value = (caught as Error)?.message ?? String(caught)
        return undefined
      }
      finally {
        busy.value = false
      }
    },
  }
}
