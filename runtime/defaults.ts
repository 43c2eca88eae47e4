import type { NventOptions } from './types/options'

/** Every option's default, in one place; `types/options.ts` documents each. */
export const defaultOptions = {
  dir: 'functions',
  workers: true,
  connections: {
    file: { dataDir: '.data/nvent' },
    // Used only by the backends an app selects; a `url` or `connectionString` takes precedence.
    redis: { host: '127.0.0.1', port: 6379, db: 0, tls: false },
    postgres: { host: '127.0.0.1', port: 5432, max: 10 },
  },
  queue: {
    adapter: 'memory',
    prefix: 'nvent',
    schema: 'nvent_queue',
    worker: { concurrency: 2, autorun: true },
    retention: { completed: { count: 1000 }, failed: { count: 5000 } },
  },
  store: { adapter: 'memory', prefix: 'nvent', schema: 'nvent_store' },
  stream: { adapter: 'memory', prefix: 'nvent' },
  flow: { stallDetection: { enabled: true, stallTimeout: 1_800_000, checkInterval: 60_000 } },
  webhooks: { path: '/api/_nvent', baseUrl: '', maxBodySize: 1_048_576, signatureHeader: 'x-nvent-signature' },
  triggers: { historyLimit: 1000, scheduler: true },
} satisfies NventOptions
