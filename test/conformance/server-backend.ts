/**
 * The Backend of a conformance file for a server (Redis, PostgreSQL): every `create` gets a fresh
 * namespace (key prefix, schema name), `reopen` opens new adapters on the same one as a restart would,
 * and after the suites every namespace handed out is removed from the server.
 */
import { randomUUID } from 'node:crypto'
import { afterAll } from 'vitest'
import { closeAdapters } from './adapter-helpers'
import type { Adapters, Backend } from './backend'

export interface ServerBackendOptions {
  name: string
  /** Why the server's suites are skipped, from `unreachableReason`; absent to run them. */
  skip: string | undefined
  /** Adapters of all three kinds kept under `namespace` (a valid key prefix and SQL identifier). */
  open(namespace: string): Promise<Adapters>
  /** Removes everything kept under `namespaces` from the server. */
  cleanup(namespaces: string[]): Promise<void>
}

/** A Backend over `options`; registers the cleanup to run after this file's suites. */
export function defineServerBackend(options: ServerBackendOptions): Backend {
  const namespaces: string[] = []
  const namespaceOf = new WeakMap<Adapters, string>()

  async function open(namespace: string): Promise<Adapters> {
    const adapters = await options.open(namespace)
    namespaceOf.set(adapters, namespace)
    return adapters
  }

  afterAll(async () => {
    if (!options.skip && namespaces.length > 0)
      await options.cleanup(namespaces)
  })

  return {
    name: options.name,
    skip: options.skip,
    async create() {
      const namespace = `nvent_test_${randomUUID().slice(0, 8)}`
      namespaces.push(namespace)
      return open(namespace)
    },
    async reopen(adapters) {
      await closeAdapters(adapters)
      return open(namespaceOf.get(adapters)!)
    },
    attach: adapters => open(namespaceOf.get(adapters)!),
  }
}
