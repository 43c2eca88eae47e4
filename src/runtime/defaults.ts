import { DEFAULT_EVENTS_PER_RUN } from './contracts/store'
import type { ConsoleFormat, NventOptions } from './types/options'

/** Every option's default, in one place; `types/options.ts` documents each. */
export const defaultOptions = {
  dir: 'functions',
  workers: true,
  connections: {
    file: { dataDir: '.data/nvent' },
    // Used only by the backends an app selects; a `url` or `connectionString` takes precedence.
    redis: { host: '127.0.0.1', port: 6379, db: 0, tls: false, timeout: 10_000 },
    postgres: { host: '127.0.0.1', port: 5432, max: 10, timeout: 10_000 },
  },
  queue: {
    adapter: 'memory',
    prefix: 'nvent',
    schema: 'nvent_queue',
    worker: { concurrency: 2, autorun: true, crashRecovery: 60_000 },
    retention: { completed: { count: 1000 }, failed: { count: 5000 } },
  },
  store: {
    adapter: 'memory',
    prefix: 'nvent',
    schema: 'nvent_store',
    retention: { completed: { count: 1000 }, failed: { count: 5000 }, flows: {}, eventsPerRun: DEFAULT_EVENTS_PER_RUN, interval: 60_000 },
    state: { cleanup: 'on-complete', ttl: 86_400_000 },
  },
  stream: { adapter: 'memory', prefix: 'nvent' },
  flow: { stallDetection: { enabled: true, stallTimeout: 1_800_000, checkInterval: 60_000 } },
  webhooks: { path: '/api/_nvent', baseUrl: '', maxBodySize: 1_048_576, signatureHeader: 'x-nvent-signature', tolerance: 300 },
  dashboard: { enabled: false, route: '/_nvent' },
  // A dev server prints 'pretty' instead (module/options.ts).
  logging: { console: 'plain' as ConsoleFormat },
  triggers: { historyLimit: 1000, scheduler: true },
} satisfies NventOptions
