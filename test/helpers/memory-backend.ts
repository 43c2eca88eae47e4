/** The memory backend as the conformance suite and the monitor's tests open it. */
import { createMemoryQueue, createMemoryStore, createMemoryStream } from '../../src/runtime/adapters/memory'
import type { Backend } from '../conformance/backend'

export const memoryBackend: Backend = {
  name: 'memory',
  create: async options => ({ queue: await createMemoryQueue(), store: await createMemoryStore(options), stream: await createMemoryStream() }),
}
