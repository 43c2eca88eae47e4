/** The client's styles: UnoCSS utilities, a few shortcuts for the shared look, dark mode by class. */
import { defineConfig, presetWind3 } from 'unocss'

export default defineConfig({
  presets: [presetWind3({ dark: 'class' })],
  // Class names also live in .ts files (status colours), not only in templates.
  content: { pipeline: { include: [/\.(vue|ts)($|\?)/] } },
  preflights: [{ getCSS: () => 'html.dark { color-scheme: dark; }' }],
  shortcuts: {
    'panel': 'border border-base rounded-md bg-base',
    'border-base': 'border-gray-200 dark:border-neutral-800',
    'bg-base': 'bg-white dark:bg-neutral-900',
    'text-muted': 'text-gray-500 dark:text-neutral-400',
    'btn': 'inline-flex items-center gap-1 px-2.5 py-1 rounded border border-base text-sm hover:bg-gray-100 dark:hover:bg-neutral-800 disabled:opacity-50 disabled:cursor-not-allowed',
    'btn-primary': 'btn bg-emerald-600 border-emerald-600 text-white hover:bg-emerald-700 dark:hover:bg-emerald-700',
    'btn-danger': 'btn text-red-600 dark:text-red-400',
    'input': 'px-2 py-1 rounded border border-base bg-transparent text-sm outline-none focus:border-emerald-500',
  },
})
