/** The queue contract's conformance: every backend must pass all of it. */
import type { Backend } from './backend'
import { describeQueueBasics } from './queue-basics'
import { describeQueueDurability } from './queue-durability'
import { describeQueueManage } from './queue-manage'
import { describeQueueRetention } from './queue-retention'
import { describeQueueScheduling } from './queue-scheduling'

export function describeQueueConformance(backend: Backend) {
  describeQueueBasics(backend)
  describeQueueScheduling(backend)
  describeQueueRetention(backend)
  describeQueueManage(backend)
  describeQueueDurability(backend)
}
