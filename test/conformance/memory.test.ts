import { createMemoryQueue, createMemoryStore, createMemoryStream } from '../../adapters/memory'
import { runConformance } from './suite'

runConformance({
  name: 'memory',
  create: async () => ({ queue: await createMemoryQueue(), store: await createMemoryStore(), stream: await createMemoryStream() }),
})
