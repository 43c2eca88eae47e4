/**
 * The Backend of a conformance file for a persistent backend (file, Redis, PostgreSQL): every `create` gets
 * a fresh namespace (data dir, key prefix, schema name), `reopen` opens new adapters on the same one as a
 * restart would, and after the suites every namespace handed out is removed.
 */
import { randomUUID } from 'node:crypto'
import { afterAll } from 'vitest'
import { closeAdapters } from './adapter-helpers'
import type { AdapterOptions, Adapters, Backend } from './backend'

export interface ServerBackendOptions {
  name: string
  /** Why the server's suites are skipped, from `unreachableReason`; absent to run them. */
  skip: string | undefined
  /** Adapters of all three kinds kept under `namespace` (a valid key prefix and SQL identifier). */
  open(namespace: string, options: AdapterOptions): Promise<Adapters>
  /** Removes everything kept under `namespaces` from the server. */
  cleanup(namespaces: string[]): Promise<void>
  /** A fresh namespace. @default `nvent_test_<8 random hex digits>` */
  namespace?: () => string
  /** One process per namespace (the file backend's lock): no second instance attaches. @default false */
  oneOpener?: boolean
}

/** A Backend over `options`; registers the cleanup to run after this file's suites. */
export function defineServerBackend(options: ServerBackendOptions): Backend {
  const namespaces: string[] = []
  const opened = new WeakMap<Adapters, { namespace: string, options: AdapterOptions }>()

  async function open(namespace: string, adapterOptions: AdapterOptions = {}): Promise<Adapters> {
    const adapters = await options.open(namespace, adapterOptions)
    opened.set(adapters, { namespace, options: adapterOptions })
    return adapters
  }
  const again = (adapters: Adapters) => {
    const { namespace, options: adapterOptions } = opened.get(adapters)!
    return open(namespace, adapterOptions)
  }

  afterAll(async () => {
    if (!options.skip && namespaces.length > 0)
      await options.cleanup(namespaces)
  })

  return {
    name: options.name,
    skip: options.skip,
    async create(adapterOptions) {
      const namespace = options.namespace?.() ?? `nvent_test_${randomUUID().slice(0, 8)}`
      namespaces.push(namespace)
      return open(namespace, adapterOptions)
    },
    async reopen(adapters) {
      await closeAdapters(adapters)
      return again(adapters)
    },
    ...(!options.oneOpener && { attach: again }),
  }
}
