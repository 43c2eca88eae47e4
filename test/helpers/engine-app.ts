/** Builds small nvent apps in tests: a registry from inline step definitions, on a given backend. */
import { defu } from 'defu'
import { compileTriggers } from '../../src/module/registry-triggers'
import type { BackoffOptions } from '../../src/runtime/contracts/queue'
import type { NventSecrets } from '../../src/runtime/engine/nvent-context'
import { defaultOptions } from '../../src/runtime/defaults'
import type { Nvent } from '../../src/runtime/nvent'
import { createNvent } from '../../src/runtime/nvent'
import type { AwaitConfig, AwaitHooks } from '../../src/runtime/types/await'
import type { FunctionHandler } from '../../src/runtime/types/function'
import type { FlowTriggersConfig } from '../../src/runtime/types/trigger'
import type { NventOptions, ResolvedNventOptions } from '../../src/runtime/types/options'
import type { Registry } from '../../src/runtime/types/registry'
import type { RunRecord, RunStatus } from '../../src/runtime/types/run'
import type { Adapters, Backend } from '../conformance/backend'
import { waitFor } from './wait'

export { waitFor } from './wait'

export interface TestStep {
  step: string
  /** @default the flow's name */
  queue?: string
  entry?: boolean
  subscribes?: string[]
  emits?: string[]
  attempts?: number
  backoff?: BackoffOptions
  stepTimeout?: number
  concurrency?: number
  awaitBefore?: AwaitConfig
  awaitAfter?: AwaitConfig
  /** Entry only. */
  triggers?: FlowTriggersConfig
  hooks?: AwaitHooks
  run: FunctionHandler
}

export interface TestApp {
  flows?: Record<string, TestStep[]>
  functions?: Record<string, { queue?: string, attempts?: number, run: FunctionHandler }>
}

/** The registry the module would compile for these definitions (each step in its own function and queue). */
export function buildTestRegistry(app: TestApp): { registry: Registry, handlers: Record<string, FunctionHandler>, hooks: Record<string, AwaitHooks> } {
  const registry: Registry = { functions: {}, flows: {}, triggers: {}, subscriptions: {} }
  const handlers: Record<string, FunctionHandler> = {}
  const hooks: Record<string, AwaitHooks> = {}
  const triggerSources: Parameters<typeof compileTriggers>[0] = []
  for (const [flowName, steps] of Object.entries(app.flows ?? {})) {
    const entry = steps.find(s => s.entry)!.step
    registry.flows[flowName] = { name: flowName, entry, steps: {} }
    for (const s of steps) {
      const id = `${flowName}/${s.step}`
      const queue = s.queue ?? flowName
      registry.functions[id] = { id, file: `${id}.ts`, queue, attempts: s.attempts ?? 1, backoff: s.backoff, concurrency: s.concurrency, flow: { name: flowName, step: s.step } }
      registry.flows[flowName]!.steps[s.step] = { name: s.step, functionId: id, queue, subscribes: s.subscribes ?? [], emits: s.emits ?? [], stepTimeout: s.stepTimeout, awaitBefore: s.awaitBefore, awaitAfter: s.awaitAfter }
      handlers[id] = s.run
      if (s.hooks)
        hooks[id] = s.hooks
      if (s.triggers)
        triggerSources.push({ id, file: `${id}.ts`, displayFile: `${id}.ts`, config: { flow: { name: flowName, role: 'entry', triggers: s.triggers } } })
    }
  }
  for (const [id, fn] of Object.entries(app.functions ?? {})) {
    registry.functions[id] = { id, file: `${id}.ts`, queue: fn.queue ?? id, attempts: fn.attempts ?? 1 }
    handlers[id] = fn.run
  }
  const issues = compileTriggers(triggerSources, registry)
  if (issues.length)
    throw new Error(`test app triggers: ${issues.map(issue => issue.message).join('; ')}`)
  return { registry, handlers, hooks }
}

export function resolveTestOptions(options: NventOptions = {}): ResolvedNventOptions {
  return defu(options, { queue: { worker: { concurrency: 4 } } }, defaultOptions) as ResolvedNventOptions
}

export interface RunningApp {
  nvent: Nvent
  adapters: Adapters
  close(): Promise<void>
}

/**
 * Starts an app with workers on fresh adapters of `backend` (or on the `adapters` given), with the runtime
 * `secrets` the plugin would read from runtime config, as a dev server with `dev`.
 */
export async function startApp(backend: Backend, app: TestApp, options: NventOptions & { adapters?: Adapters, workers?: boolean, secrets?: NventSecrets, dev?: boolean } = {}): Promise<RunningApp> {
  // Secrets stay out of the options, which the app exposes as `nvent.options`.
  const { adapters: given, workers = true, secrets, dev, ...nventOptions } = options
  const adapters = given ?? await backend.create()
  const nvent = createNvent({ ...buildTestRegistry(app), adapters, options: resolveTestOptions(nventOptions), secrets, dev })
  await nvent.start({ workers })
  return { nvent, adapters, close: () => nvent.close() }
}

/** Waits until the run reaches a final status and returns its record. */
export function waitForRunEnd(nvent: Nvent, runId: string, timeout?: number): Promise<RunRecord> {
  return waitFor(async () => {
    const run = await nvent.flow.getRun(runId)
    return run && run.status !== 'running' ? run : null
  }, `run ${runId} to end`, timeout)
}

export function countEvents(events: { type: string, step?: string }[], type: string, step?: string): number {
  return events.filter(e => e.type === type && (step === undefined || e.step === step)).length
}

export type { RunStatus }

/** The token at the end of an await URL. */
export const tokenOf = (url: string | undefined) => url!.slice(url!.lastIndexOf('/') + 1)

/** A request body as the webhook routes receive it. */
export const json = (value: unknown) => Buffer.from(JSON.stringify(value))
