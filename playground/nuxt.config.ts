// The playground runs on the file backend, so runs survive a restart of `npm run dev`.
export default defineNuxtConfig({
  modules: ['../module'],
  devtools: { enabled: true },
  compatibilityDate: '2025-07-15',
  nvent: {
    queue: { adapter: 'file', worker: { concurrency: 4 } },
    store: { adapter: 'file' },
    stream: { adapter: 'memory' },
    flow: { stallDetection: { stallTimeout: 120_000, checkInterval: 30_000 } },
  },
})
