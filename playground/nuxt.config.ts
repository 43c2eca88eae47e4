// The playground runs on the file backend by default, so runs survive a restart of `npm run dev`.
// NVENT_BACKEND=memory|file|redis|postgres switches every adapter at build time (redis and postgres use the
// local servers, or NVENT_REDIS_URL / NVENT_POSTGRES_URL); NVENT_PREFIX isolates one app's keys and schemas.
const backend = (process.env.NVENT_BACKEND ?? 'file') as 'memory' | 'file' | 'redis' | 'postgres'
const prefix = process.env.NVENT_PREFIX ?? 'nvent'

export default defineNuxtConfig({
  modules: ['../src/module.ts'],
  devtools: { enabled: true },
  compatibilityDate: '2025-07-15',
  nvent: {
    connections: {
      redis: { url: process.env.NVENT_REDIS_URL ?? 'redis://127.0.0.1:6379' },
      postgres: { connectionString: process.env.NVENT_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    },
    // NVENT_CRASH_RECOVERY (ms) shortens the wait for a killed instance's jobs, for the kill tests.
    queue: { adapter: backend, prefix, schema: `${prefix}_queue`, worker: { concurrency: 4, crashRecovery: Number(process.env.NVENT_CRASH_RECOVERY) || undefined } },
    store: { adapter: backend, prefix, schema: `${prefix}_store` },
    stream: { adapter: backend === 'file' ? 'memory' : backend, prefix },
    flow: { stallDetection: { stallTimeout: 120_000, checkInterval: 30_000 } },
  },
  // A production build serves the read-only dashboard at /_nvent (README: "Deploy the dashboard").
  $production: {
    nvent: { dashboard: { enabled: true } },
  },
})
