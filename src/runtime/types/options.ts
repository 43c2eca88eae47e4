/** The `nvent` key of nuxt.config: every option, with its default. */
import type { KeepJobs } from '../contracts/queue'
import type { KeepRuns } from '../contracts/store'

export type AdapterName = 'memory' | 'file' | 'redis' | 'postgres'

export const STATE_CLEANUPS = ['never', 'immediate', 'on-complete', 'ttl'] as const
/** When run state is removed: see `store.state.cleanup`. */
export type StateCleanup = typeof STATE_CLEANUPS[number]

/** How handler and hook log lines are printed on the server console: see `logging.console`. */
export const CONSOLE_FORMATS = ['pretty', 'plain', 'json', 'off'] as const
export type ConsoleFormat = typeof CONSOLE_FORMATS[number]

/** A flow's own retention: `store.retention.flows[name]`. */
export interface FlowRetention {
  /** Replaces `store.retention.completed` for this flow. */
  completed?: KeepRuns
  /** Replaces `store.retention.failed` for this flow. */
  failed?: KeepRuns
}

export interface NventOptions {
  /** Folder under each layer's `server/` that holds the functions. @default 'functions' */
  dir?: string
  /**
   * Run queue workers in this instance. `false` makes an API-only instance that enqueues and starts runs
   * but executes none. The `NVENT_WORKERS=0` environment variable at server start also turns them off.
   * @default true
   */
  workers?: boolean
  connections?: {
    file?: {
      /** Where the file adapters keep their data, relative to the app root. @default '.data/nvent' */
      dataDir?: string
    }
    redis?: {
      /** A `redis://` URL; takes precedence over the fields below. @default undefined */
      url?: string
      /** Redis host. @default '127.0.0.1' */
      host?: string
      /** Redis port. @default 6379 */
      port?: number
      /** Redis password. @default undefined */
      password?: string
      /** Redis database number. @default 0 */
      db?: number
      /** Connect over TLS with Node's defaults. @default false */
      tls?: boolean
      /**
       * Milliseconds a call waits for an unreachable or unresponsive Redis before it fails, naming the
       * address. Workers and subscriptions wait out an outage instead. @default 10000
       */
      timeout?: number
    }
    postgres?: {
      /** A `postgres://` connection string; the parts it names take precedence over the fields below. @default undefined */
      connectionString?: string
      /** PostgreSQL host. @default '127.0.0.1' */
      host?: string
      /** PostgreSQL port. @default 5432 */
      port?: number
      /** Database name. @default undefined */
      database?: string
      /** Database user. @default undefined */
      user?: string
      /** Database password. @default undefined */
      password?: string
      /** Connections in the pool each instance shares between its adapters. @default 10 */
      max?: number
      /**
       * Milliseconds a call waits for an unreachable or unresponsive PostgreSQL (to connect, and to
       * reconnect after a lost connection) before it fails, naming the address. @default 10000
       */
      timeout?: number
    }
  }
  queue?: {
    /** Backend of the job queue. @default 'memory' */
    adapter?: AdapterName
    /** Namespace of the queue's keys (Redis) and channels. @default 'nvent' */
    prefix?: string
    /** PostgreSQL schema of the queue's tables. @default 'nvent_queue' */
    schema?: string
    worker?: {
      /** Jobs of one queue running at once per instance, unless a function says otherwise. @default 2 */
      concurrency?: number
      /** Start workers when the server starts. @default true */
      autorun?: boolean
      /**
       * Milliseconds within which a job whose worker died (a crash, a SIGKILL, a lost host) runs again on
       * another worker, on Redis and PostgreSQL. Live workers renew their hold on running jobs, so a long
       * job is never taken from a live worker. A job cut off three times fails. (Memory: nothing survives
       * the process; file: the restarted process runs them at once.) @default 60000
       */
      crashRecovery?: number
    }
    retention?: {
      /** Completed jobs kept per queue, by count and/or age in ms. @default { count: 1000 } */
      completed?: KeepJobs
      /** Failed jobs kept per queue, by count and/or age in ms. @default { count: 5000 } */
      failed?: KeepJobs
    }
  }
  store?: {
    /** Backend of run records, event logs and state. @default 'memory' */
    adapter?: AdapterName
    /** Namespace of the store's keys (Redis). @default 'nvent' */
    prefix?: string
    /** PostgreSQL schema of the store's tables. @default 'nvent_store' */
    schema?: string
    retention?: {
      /** Completed runs kept per flow (record, event log and state), by count and/or age in ms since they finished. @default { count: 1000 } */
      completed?: KeepRuns
      /** Failed, canceled and stalled runs kept per flow, by count and/or age in ms since they finished. @default { count: 5000 } */
      failed?: KeepRuns
      /** Per-flow retention by flow name: each class given replaces the one above for that flow. @default {} */
      flows?: Record<string, FlowRetention>
      /** Events kept in one run's log; appending more drops the oldest. @default 10000 */
      eventsPerRun?: number
      /** Milliseconds between pruning passes; one instance prunes at a time. @default 60000 */
      interval?: number
    }
    state?: {
      /**
       * When a run's state (`ctx.state`) goes: `'on-complete'` when the run completes (a failed run keeps it
       * until retention removes the run), `'immediate'` when the run ends in any way, `'ttl'` each key `ttl` ms
       * after it was set (unless set with its own ttl), `'never'` only with its run. A plain function's state
       * goes when its job ends for good, except with `'never'` and `'ttl'`.
       * @default 'on-complete'
       */
      cleanup?: StateCleanup
      /** With `cleanup: 'ttl'`: milliseconds a state key lives after it was set. @default 86400000 */
      ttl?: number
    }
  }
  stream?: {
    /** Backend of live events. The file backend has no stream of its own: use memory. @default 'memory' */
    adapter?: Exclude<AdapterName, 'file'>
    /** Namespace of the stream's channels. @default 'nvent' */
    prefix?: string
  }
  flow?: {
    stallDetection?: {
      /** Mark runs that make no progress as stalled. @default true */
      enabled?: boolean
      /** Milliseconds without progress after which a running run is stalled. @default 1800000 */
      stallTimeout?: number
      /**
       * Milliseconds between sweeps; one instance sweeps at a time. A sweep also queues again a step whose
       * enqueue a crash cut off (once its run has been quiet this long), and fails runs with steps the
       * current build lacks. @default 60000
       */
      checkInterval?: number
    }
  }
  webhooks?: {
    /** Route prefix: trigger webhooks answer at `{path}/webhook/:trigger`, await URLs at `{path}/await/:token`. @default '/api/_nvent' */
    path?: string
    /**
     * Origin put in front of await URLs handed to `onAwaitRegister`, e.g. 'https://app.example.com'. Empty:
     * the `NVENT_BASE_URL` environment variable at server start, else `http://localhost:${PORT or 3000}`.
     * @default ''
     */
    baseUrl?: string
    /** Largest request body a webhook accepts, in bytes; a larger one is answered 413. @default 1048576 */
    maxBodySize?: number
    /**
     * Header carrying the signature of a request to a signed trigger: `t=<unix seconds>,sha256=<hex>`, the
     * HMAC-SHA256 of `<t>.<raw body>` under the trigger's secret (`signWebhook` in runtime/webhooks/signature.ts makes it).
     * @default 'x-nvent-signature'
     */
    signatureHeader?: string
    /**
     * Seconds a signed request's timestamp may be away from the server's clock, either way; an older one is
     * refused 401. Within it, the same request sent again starts nothing new.
     * @default 300
     */
    tolerance?: number
  }
  /**
   * The read-only dashboard: the DevTools tab's views, served by the app itself (in production too) behind a
   * token. Without it nothing of it is built in: no route, no UI asset.
   */
  dashboard?: {
    /**
     * Serve the dashboard at `route`. The token is read at server start from runtime config
     * (`NUXT_NVENT_DASHBOARD_TOKEN`), never from the build; without one, or an `nvent:dashboard:auth` hook
     * that decides, the dashboard refuses every request.
     * @default false
     */
    enabled?: boolean
    /** Where it is served: the page at `{route}/`, its API at `{route}/api/<read>`, live events at `{route}/api/live`. @default '/_nvent' */
    route?: string
  }
  logging?: {
    /**
     * How the lines handlers and hooks log (`ctx.logger`) are printed on the server console: `'pretty'`
     * (consola's coloured lines, for a terminal), `'plain'` (one cheap line each: time, level, `[flow/step]`,
     * message, meta as JSON), `'json'` (one object per line: `time`, `level`, `where`, `runId`, `message`,
     * `meta`, for log collectors) or `'off'`. The run's log keeps every line whatever this says. `'plain'`
     * and `'json'` print `debug` lines only at consola's debug level (`CONSOLA_LEVEL=4`). A dev server
     * prints `'pretty'` unless this is set.
     * @default 'plain'
     */
    console?: 'pretty' | 'plain' | 'json' | 'off'
  }
  triggers?: {
    /** Firings kept in each trigger's history. @default 1000 */
    historyLimit?: number
    /** Run cron schedules in this instance; only instances with workers run them. @default true */
    scheduler?: boolean
  }
}

/** The options with every default applied, as the runtime receives them. */
export type ResolvedNventOptions = DeepRequired<Omit<NventOptions, 'connections'>> & {
  connections: NonNullable<NventOptions['connections']>
}

type DeepRequired<T> = { [K in keyof T]-?: NonNullable<T[K]> extends object ? DeepRequired<NonNullable<T[K]>> : NonNullable<T[K]> }
