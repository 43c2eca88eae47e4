/** The store contract's conformance: every backend must pass all of it. */
import type { Backend } from './backend'
import { describeStoreDurability } from './store-durability'
import { describeStoreEvents } from './store-events'
import { describeStoreKv } from './store-kv'
import { describeStoreLogs } from './store-logs'
import { describeStoreQueries } from './store-queries'
import { describeStoreRetention } from './store-retention'
import { describeStoreRuns } from './store-runs'

export function describeStoreConformance(backend: Backend) {
  describeStoreRuns(backend)
  describeStoreQueries(backend)
  describeStoreEvents(backend)
  describeStoreKv(backend)
  describeStoreLogs(backend)
  describeStoreRetention(backend)
  describeStoreDurability(backend)
}
