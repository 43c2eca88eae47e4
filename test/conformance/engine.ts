/** The engine's rules, run on each backend: the same flows must behave the same everywhere. */
import type { Backend } from './backend'
import { describeEngineAwaits } from './engine-awaits'
import { describeEngineControl } from './engine-control'
import { describeEngineFailures } from './engine-failures'
import { describeEngineFlows } from './engine-flows'
import { describeEngineInstances } from './engine-instances'
import { describeEngineRecovery } from './engine-recovery'
import { describeEngineMonitor } from './engine-monitor'
import { describeEngineRerun } from './engine-rerun'
import { describeEngineRetention } from './engine-retention'
import { describeEngineTriggers } from './engine-triggers'

export function describeEngineConformance(backend: Backend) {
  describeEngineFlows(backend)
  describeEngineFailures(backend)
  describeEngineControl(backend)
  describeEngineAwaits(backend)
  describeEngineTriggers(backend)
  describeEngineInstances(backend)
  describeEngineRecovery(backend)
  describeEngineRerun(backend)
  describeEngineMonitor(backend)
  describeEngineRetention(backend)
}
