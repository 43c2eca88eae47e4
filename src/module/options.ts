/** The module options: checked against `NventOptions`, then completed with the defaults. */
import { defu } from 'defu'
import { defaultOptions } from '../runtime/defaults'
import type { NventOptions, ResolvedNventOptions } from '../runtime/types/options'
import { CONSOLE_FORMATS, STATE_CLEANUPS } from '../runtime/types/options'
import type { Registry } from '../runtime/types/registry'
import { describeValue, fieldPath, formatIssue, NventConfigError } from './errors'
import type { BuildIssue } from './errors'
import { boolean, checkShape, count, milliseconds, nonNegative, nonNegativeInteger, object, recordOf, string, stringOrEmpty } from './shape'

const adapters = ['memory', 'file', 'redis', 'postgres'] as const
const keepJobs = object({ count: nonNegativeInteger, age: nonNegative })

/** `NventOptions`, as a shape: keep in step with runtime/types/options.ts. */
const optionsShape = object({
  dir: string(),
  workers: boolean,
  connections: object({
    file: object({ dataDir: string() }),
    redis: object({ url: string(), host: string(), port: count, password: string(), db: nonNegativeInteger, tls: boolean, timeout: milliseconds }),
    postgres: object({
      connectionString: string(),
      host: string(),
      port: count,
      database: string(),
      user: string(),
      password: string(),
      max: count,
      timeout: milliseconds,
    }),
  }),
  queue: object({
    adapter: string(adapters),
    prefix: string(),
    schema: string(),
    worker: object({ concurrency: count, autorun: boolean, crashRecovery: milliseconds }),
    retention: object({ completed: keepJobs, failed: keepJobs }),
  }),
  store: object({
    adapter: string(adapters),
    prefix: string(),
    schema: string(),
    retention: object({
      completed: keepJobs,
      failed: keepJobs,
      flows: recordOf(object({ completed: keepJobs, failed: keepJobs })),
      eventsPerRun: count,
      interval: milliseconds,
    }),
    state: object({ cleanup: string(STATE_CLEANUPS), ttl: milliseconds }),
  }),
  // The file backend has no stream of its own.
  stream: object({ adapter: string(adapters.filter(name => name !== 'file')), prefix: string() }),
  flow: object({
    stallDetection: object({ enabled: boolean, stallTimeout: milliseconds, checkInterval: milliseconds }),
  }),
  // An empty baseUrl means "find it at server start", so it is the one string that may be blank.
  webhooks: object({ path: string(), baseUrl: stringOrEmpty, maxBodySize: count, signatureHeader: string(), tolerance: count }),
  dashboard: object({ enabled: boolean, route: string() }),
  logging: object({ console: string(CONSOLE_FORMATS) }),
  triggers: object({ historyLimit: count, scheduler: boolean }),
})

/**
 * Validates the `nvent` options of nuxt.config and applies the defaults; throws one error listing every
 * problem. A dev server (`dev`) prints handler logs 'pretty' unless the app chose otherwise.
 */
export function resolveOptions(options: NventOptions, { dev = false } = {}): ResolvedNventOptions {
  const issues: BuildIssue[] = []
  const report = (field: string, message: string) => issues.push({ files: ['nuxt.config'], field, message })
  checkShape(options, optionsShape, 'nvent', report)
  checkRoute('nvent.webhooks.path', options.webhooks?.path, report)
  checkRoute('nvent.dashboard.route', options.dashboard?.route, report)
  if (issues.length > 0) {
    throw new NventConfigError(`nvent: invalid module options:\n${issues.map(issue => `  - ${formatIssue(issue)}`).join('\n')}`)
  }
  return defu(options, dev ? { logging: { console: 'pretty' } } : {}, defaultOptions) as ResolvedNventOptions
}

/** Route prefixes (`${path}/webhook/:trigger`, `${route}/api/…`) must join cleanly. */
function checkRoute(field: string, path: unknown, report: (field: string, message: string) => void): void {
  if (typeof path !== 'string' || path.trim() === '') return
  if (!path.startsWith('/')) report(field, `must start with '/' (found ${describeValue(path)})`)
  else if (path.endsWith('/')) report(field, `must not end with '/' (found ${describeValue(path)})`)
  else if (/[\s?#*:]/.test(path)) report(field, `must be a plain path, without spaces, '?', '#', '*' or ':' (found ${describeValue(path)})`)
}

/** `store.retention.flows` names flows: one the build does not have is a typo, or a leftover of a rename. */
export function checkRetentionFlows(options: ResolvedNventOptions, registry: Registry): BuildIssue[] {
  const known = Object.keys(registry.flows)
  return Object.keys(options.store.retention.flows).filter(name => !registry.flows[name]).map(name => ({
    files: ['nuxt.config'],
    field: fieldPath('nvent.store.retention.flows', name),
    message: `names no flow of this app (flows: ${known.join(', ') || 'none'})`,
  }))
}
