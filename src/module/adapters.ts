/**
 * Which backend factory builds each adapter. The module imports only the configured backends, so a
 * backend the app does not use never reaches its server bundle. Adding a backend is one entry in `backends`.
 */
import { tryResolveModule } from '@nuxt/kit'
import type { AdapterName, ResolvedNventOptions } from '../runtime/types/options'
import { NventConfigError } from './errors'

export type AdapterKind = 'queue' | 'store' | 'stream'

/** A factory exported by a backend module, and the arguments the generated code passes it. */
interface Factory {
  name: string
  /** A JS expression over `options` (the resolved options) and, for file backends, `dataDir`. */
  args: string
  /** The optional peer packages it imports, which the app installs when it picks the backend. */
  packages?: string[]
}

interface Backend {
  /** The backend's entry, relative to the package root. */
  module: string
  factories: Partial<Record<AdapterKind, Factory>>
}

// What every queue and every store factory takes from the options, whatever the backend.
const QUEUE_RETENTION = 'retention: options.queue.retention'
const CRASH_RECOVERY = 'crashRecovery: options.queue.worker.crashRecovery'
const STORE_LIMITS = 'eventsPerRun: options.store.retention.eventsPerRun'

const backends: Record<AdapterName, Backend> = {
  memory: {
    module: 'runtime/adapters/memory/index',
    factories: {
      queue: { name: 'createMemoryQueue', args: `{ ${QUEUE_RETENTION} }` },
      store: { name: 'createMemoryStore', args: `{ ${STORE_LIMITS} }` },
      stream: { name: 'createMemoryStream', args: '' },
    },
  },
  file: {
    module: 'runtime/adapters/file/index',
    factories: {
      queue: { name: 'createFileQueue', args: `{ dir: join(dataDir, 'queue'), ${QUEUE_RETENTION} }` },
      store: { name: 'createFileStore', args: `{ dir: join(dataDir, 'store'), ${STORE_LIMITS} }` },
    },
  },
  redis: {
    module: 'runtime/adapters/redis/index',
    factories: {
      queue: { name: 'createRedisQueue', args: `{ connection: options.connections.redis, prefix: options.queue.prefix, ${QUEUE_RETENTION}, ${CRASH_RECOVERY} }`, packages: ['bullmq', 'ioredis'] },
      store: { name: 'createRedisStore', args: `{ connection: options.connections.redis, prefix: options.store.prefix, ${STORE_LIMITS} }`, packages: ['ioredis'] },
      stream: { name: 'createRedisStream', args: '{ connection: options.connections.redis, prefix: options.stream.prefix }', packages: ['ioredis'] },
    },
  },
  postgres: {
    module: 'runtime/adapters/postgres/index',
    factories: {
      queue: { name: 'createPostgresQueue', args: `{ connection: options.connections.postgres, schema: options.queue.schema, ${QUEUE_RETENTION}, ${CRASH_RECOVERY} }`, packages: ['pg-boss', 'pg'] },
      store: { name: 'createPostgresStore', args: `{ connection: options.connections.postgres, schema: options.store.schema, ${STORE_LIMITS} }`, packages: ['pg'] },
      stream: { name: 'createPostgresStream', args: '{ connection: options.connections.postgres, channel: options.stream.prefix }', packages: ['pg'] },
    },
  },
}

/** One adapter to create: its kind, the backend and the factory to call. */
export interface AdapterChoice {
  kind: AdapterKind
  backend: AdapterName
  module: string
  factory: Factory
}

/** Resolves the configured backend of each adapter kind; throws a clear error for a kind a backend lacks. */
export function chooseAdapters(options: ResolvedNventOptions): AdapterChoice[] {
  const kinds: AdapterKind[] = ['queue', 'store', 'stream']
  return kinds.map((kind) => {
    const name = options[kind].adapter
    const backend = backends[name]
    const factory = backend.factories[kind]
    if (!factory) {
      const available = Object.entries(backends).filter(([, b]) => b.factories[kind]).map(([n]) => `'${n}'`).join(', ')
      throw new NventConfigError(`nvent: nvent.${kind}.adapter: the '${name}' backend has no ${kind} adapter; choose one of ${available}`)
    }
    return { kind, backend: name, module: backend.module, factory }
  })
}

/**
 * The backends' libraries are optional peers: an app installs those of the backends it picks. One it
 * lacks would fail deep in the bundler, so it is named here first, resolved from where the backend's
 * module would import it (`from`).
 */
export async function checkBackendPackages(choices: AdapterChoice[], from: string): Promise<void> {
  const missing = new Map<string, string[]>()
  for (const { kind, backend, factory } of choices) {
    for (const name of factory.packages ?? []) {
      if (!await tryResolveModule(name, from))
        missing.set(name, [...missing.get(name) ?? [], `nvent.${kind}.adapter '${backend}'`])
    }
  }
  if (missing.size === 0)
    return
  const lines = [...missing].map(([name, users]) => `  - ${name} (for ${users.join(', ')})`)
  throw new NventConfigError(`nvent: the backends in nuxt.config need packages this app does not have:\n${lines.join('\n')}\nInstall them: npm install ${[...missing.keys()].join(' ')}`)
}
