/** The one conformance suite: every backend runs every case through this entry. */
import { describe } from 'vitest'
import type { Backend } from './backend'
import { describeEngineConformance } from './engine'
import { describeQueueConformance } from './queue'
import { describeStoreConformance } from './store'
import { describeStreamConformance } from './stream'

export function runConformance(backend: Backend) {
  describe.skipIf(Boolean(backend.skip))(`${backend.name} conformance`, () => {
    describeQueueConformance(backend)
    describeStoreConformance(backend)
    describeStreamConformance(backend)
    describeEngineConformance(backend)
  })
}
