import { createMemoryQueue, createMemoryStore, createMemoryStream } from '../../adapters/memory'
import { runConformance } from './suite'

runConformance({
  name: 'memory',
  create: async options => ({ queue: await createMemoryQueue(), store: await createMemoryStore(options), stream: await createMemoryStream() }),
})
