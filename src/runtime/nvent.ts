/**
 * The engine's public face: `createNvent` wires the registry, handlers and adapters together, and
 * `useNvent()` (or `$nvent`) reaches the instance from server code.
 */
import { randomUUID } from 'node:crypto'
import type { TypedAwaitApi, TypedFlowApi, TypedTriggerApi } from './types/typed'
import type { QueueWorker } from './contracts/queue'
import { RunningHandlers } from './engine/running-handlers'
import type { Adapters, NventContext, NventSecrets } from './engine/nvent-context'
import { EVENTS_TOPIC } from './engine/nvent-context'
import { EventPublisher } from './engine/event-publisher'
import type { FlowApi } from './types/flow'
import { createFlowApi } from './engine/flows'
import type { QueueApi } from './types/queue'
import { createQueueApi, queueNames, startWorkers } from './engine/queues'
import { pruneFinishedRuns, startRetention } from './engine/retention'
import { startStallSweep, sweepStalledRuns } from './engine/stall'
import { checkAwaitSecret } from './awaits/keys'
import type { AwaitApi } from './types/await'
import { createAwaitApi } from './awaits/awaits'
import { registerAwait, releaseAwaits } from './awaits/register'
import { startScheduler } from './triggers/cron'
import type { EventApi } from './types/event'
import { committedEmits, createEventApi, deliverEmits } from './events/events'
import { TriggerBook, TRIGGERS_TOPIC } from './triggers/trigger-book'
import type { TriggerApi } from './types/trigger'
import { createTriggerApi } from './triggers/triggers'
import { warnUnsetWebhookSecrets } from './triggers/webhook-secrets'
import type { WebhookApi } from './types/webhook'
import { createWebhookApi } from './webhooks/webhooks'
import type { AwaitHooks } from './types/await'
import type { FunctionHandler } from './types/function'
import type { MonitorApi } from './types/monitor'
import { createMonitor } from './monitor/monitor'
import type { ResolvedNventOptions } from './types/options'
import type { Registry } from './types/registry'
import type { RunEvent } from './types/run'

export interface NventInit {
  registry: Registry
  handlers: Record<string, FunctionHandler>
  /** Await hooks exported by function files, by function id. @default {} */
  hooks?: Record<string, AwaitHooks>
  /** The adapters, or a promise of them: the API waits for it, so the instance is usable at once. */
  adapters: Adapters | Promise<Adapters>
  options: ResolvedNventOptions
  /** Secrets given at runtime rather than kept in the store (the plugin reads them from runtime config). @default {} */
  secrets?: NventSecrets
  /** A dev server: the monitor may show source files. @default false */
  dev?: boolean
}

export interface Nvent {
  queue: QueueApi
  flow: FlowApi
  /** Triggers: list, register, change, fire, history. */
  triggers: TriggerApi
  /** Events from outside a run: start event-triggered flows, resolve event awaits. */
  events: EventApi
  /** Runs paused on an await: list, resolve, reject. */
  awaits: AwaitApi
  /** What the webhook routes call: fire a webhook trigger, resolve a webhook await. */
  webhooks: WebhookApi
  /** What the DevTools tab and the dashboard read and do: runs, flows, queues, triggers, awaits, live changes. */
  monitor: MonitorApi
  registry: Registry
  options: ResolvedNventOptions
  /** Subscribes to every run event published by any instance. */
  onEvent(handler: (event: RunEvent) => void): Promise<() => Promise<void>>
  /** Marks stale runs stalled now (the periodic sweep calls the same). */
  sweepStalledRuns(): Promise<string[]>
  /** Removes finished runs beyond `store.retention` now (the periodic pass calls the same); resolves how many. */
  pruneFinishedRuns(): Promise<number>
  /**
   * Starts cancel propagation and, with `workers`, the workers, the stall sweep, retention and the cron scheduler.
   * Calling it again with `workers` starts them.
   */
  start(options: { workers: boolean }): Promise<void>
  /** Stops workers and closes the adapters. */
  close(): Promise<void>
}

const ENDING_EVENTS = new Set(['flow.cancel', 'flow.failed', 'flow.stalled'])

export function createNvent(init: NventInit): Nvent {
  // Refused here, synchronously, so a bad secret stops the server at start rather than failing each await.
  checkAwaitSecret(init.secrets?.await)
  const built = Promise.resolve(init.adapters).then((adapters) => {
    const context = {
      registry: init.registry,
      handlers: init.handlers,
      hooks: init.hooks ?? {},
      adapters,
      options: init.options,
      secrets: init.secrets ?? {},
      instanceId: randomUUID(),
      running: new RunningHandlers(),
      publisher: new EventPublisher(adapters.stream),
    } as NventContext
    context.effects = {
      registerAwait: (run, step, options) => registerAwait(context, run, step, options),
      releaseAwaits: run => releaseAwaits(context, run),
      deliverEmits: (run, step) => deliverEmits(context, run, committedEmits(context, run, step)),
    }
    // Triggers start runs through the same flow API the app uses.
    const flows = createFlowApi(context)
    context.triggerBook = new TriggerBook(context, flows)
    return { context, flows }
  })
  const ready = built.then(({ context }) => context)
  // Keeps a rejected adapter promise from being unhandled before the first call reports it.
  ready.catch(() => {})
  const queueApi = ready.then(createQueueApi)
  const flowApi = built.then(({ flows }) => flows)
  const triggerApi = ready.then(createTriggerApi)
  const eventApi = ready.then(createEventApi)
  const awaitApi = Promise.all([ready, flowApi]).then(([context, flows]) => createAwaitApi(context, flows))
  const monitorApi = Promise.all([ready, flowApi, queueApi, triggerApi, awaitApi]).then(([context, flow, queue, triggers, awaits]) =>
    createMonitor({ context, flow, queue, triggers, awaits, dev: init.dev }))
  monitorApi.catch(() => {})
  const stops: Array<() => Promise<void> | void> = []
  let workers: QueueWorker[] = []

  /** An API object usable at once: each call waits for the adapters; `sync` members answer directly. */
  const lazy = <T extends object>(api: Promise<T>, sync: Partial<T> = {}) => new Proxy(sync as T, {
    // `then` stays undefined so the API object is not mistaken for a promise when returned from async code.
    get: (target, key) => key in target
      ? (target as any)[key]
      : key === 'then' ? undefined : async (...args: unknown[]) => ((await api) as any)[key](...args),
  })
  let listening = false

  return {
    queue: lazy(queueApi, { names: () => queueNames(init.registry) }),
    flow: lazy(flowApi),
    triggers: lazy(triggerApi),
    events: lazy(eventApi),
    awaits: lazy(awaitApi),
    webhooks: lazy(ready.then(createWebhookApi)),
    monitor: lazy(monitorApi.then(built => built.monitor)),
    options: init.options,
    registry: init.registry,
    async onEvent(handler) {
      const context = await ready
      return context.adapters.stream.subscribe(EVENTS_TOPIC, message => handler(message as RunEvent))
    },
    async sweepStalledRuns() {
      return sweepStalledRuns(await ready)
    },
    async pruneFinishedRuns() {
      return pruneFinishedRuns(await ready)
    },
    async start(options) {
      const context = await ready
      if (!listening) {
        listening = true
        // A run that ends on another instance aborts the handlers it has running here.
        stops.push(await this.onEvent((event) => {
          if (ENDING_EVENTS.has(event.type))
            context.running.abortRun(event.runId, `run ended (${event.type})`)
        }))
        stops.push(await context.adapters.stream.subscribe(TRIGGERS_TOPIC, () => context.triggerBook.invalidate()))
        await warnUnsetWebhookSecrets(context)
      }
      if (options.workers && workers.length === 0) {
        workers = startWorkers(context, await flowApi)
        stops.push(startStallSweep(context), startRetention(context))
        if (context.options.triggers.scheduler)
          stops.push(startScheduler(context))
      }
    },
    async close() {
      const context = await ready.catch(() => null)
      for (const stop of stops.splice(0))
        await stop()
      await monitorApi.then(built => built.close(), () => {})
      await Promise.all(workers.splice(0).map(worker => worker.close()))
      if (!context)
        return
      context.running.abortAll('server closing')
      await context.adapters.queue.close()
      await context.adapters.store.close()
      await context.publisher.drain()
      await context.adapters.stream.close()
    },
  }
}

let instance: Nvent | undefined

/** Installs the instance `useNvent()` returns; the Nitro plugin calls it at server start. */
export function setNvent(nvent: Nvent | undefined): void {
  instance = nvent
}

/** The instance as the app sees it: flow, trigger and await names typed from its own flows (types/typed.ts). */
export interface TypedNvent extends Omit<Nvent, 'flow' | 'triggers' | 'awaits'> {
  flow: TypedFlowApi
  triggers: TypedTriggerApi
  awaits: TypedAwaitApi
}

/** The nvent instance of this server: `useNvent().flow.start(...)`, `useNvent().queue.enqueue(...)`. */
export function useNvent(): TypedNvent {
  if (!instance)
    throw new Error('nvent is not running in this server: is the "nvent" module in nuxt.config modules?')
  // The same object: the typed API only narrows what its members accept.
  return instance as TypedNvent
}

/** `$nvent.queue.enqueue(...)`: the same instance as `useNvent()`, for code written as in the docs. */
export const $nvent: TypedNvent = new Proxy({} as TypedNvent, {
  get: (_, key) => (useNvent() as any)[key],
})
