/**
 * Light or dark as the host shows: DevTools' colour mode (kept by DevTools in this origin's storage,
 * 'auto' following the system), else the system's preference.
 */
import { onScopeDispose } from 'vue'

const DEVTOOLS_COLOR_MODE = 'nuxt-devtools-color-mode'

export function useColorScheme(): void {
  const system = window.matchMedia('(prefers-color-scheme: dark)')
  const apply = () => {
    const mode = localStorage.getItem(DEVTOOLS_COLOR_MODE)
    const dark = mode === 'dark' || (mode !== 'light' && system.matches)
    document.documentElement.classList.toggle('dark', dark)
  }
  apply()
  system.addEventListener('change', apply)
  // DevTools writes its setting from another document of this origin: the storage event tells.
  window.addEventListener('storage', apply)
  onScopeDispose(() => {
    system.removeEventListener('change', apply)
    window.removeEventListener('storage', apply)
  })
}
