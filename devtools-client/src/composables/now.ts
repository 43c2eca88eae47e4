/** The time now, ticking every second while `active()` holds: durations and bars of what still runs. */
import type { Ref } from 'vue'
import { onScopeDispose, ref, watchEffect } from 'vue'

export function useNow(active: () => boolean, interval = 1000): Ref<number> {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = () => {
    clearInterval(timer)
    timer = undefined
  }
  watchEffect(() => {
    stop()
    now.value = Date.now()
    if (active())
      timer = setInterval(() => { now.value = Date.now() }, interval)
  })
  onScopeDispose(stop)
  return now
}
