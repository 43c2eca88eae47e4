/**
 * The Nvent tab's client: a Vue single-page app built once to static files (`dist/`), which the module
 * serves in dev under the app's baseURL (DevTools' iframe must be same-origin) and the dashboard in
 * production. Relative asset paths, so one build works under any route.
 */
import vue from '@vitejs/plugin-vue'
import UnoCSS from 'unocss/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [vue(), UnoCSS({ configFile: `${import.meta.dirname}/uno.config.ts` })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Each chunk stays under the size budget (bench/RESULTS.md reports them).
    rollupOptions: {
      output: {
        manualChunks: (id: string) => id.includes('@vue-flow') || id.includes('dagre') ? 'graph' : id.includes('node_modules') ? 'vendor' : undefined,
      },
    },
  },
})
