/**
 * Typed flows. The module writes the app's flows into `NventTypes` at build time (a type template made
 * from the registry): flow names, each entry's input (its handler's), each event's payload (the type its
 * emitting step exports as `Emits`), trigger names. `useNvent()` and `defineFunction(config, handler)`
 * read them; before the first build, or outside an app, `NventTypes` is empty and every name is a string.
 */
import type { AwaitApi } from './await'
import type { RunContext } from './context'
import type { FlowApi, StartOptions } from './flow'
import type { FunctionConfig } from './function'
import type { TriggerApi, TriggerFiring } from './trigger'

/** Filled in by the app's generated types (`.nuxt/types/nvent-flows.d.ts`). */
export interface NventTypes {}

interface FlowTypes {
  input: unknown
  events: Record<string, unknown>
}

type Flows = NventTypes extends { flows: infer F extends Record<string, FlowTypes> } ? F : Record<string, FlowTypes>

/** The app's flow names (any string until its types are generated). */
export type FlowName = keyof Flows & string
/** What `flow.start(name, input)` takes: the input type of the flow's entry handler. */
export type FlowInput<F extends string> = F extends keyof Flows ? Flows[F]['input'] : unknown
/** The payload of event `E` in flow `F`: what its emitters export as `Emits[E]` (`any` where none does). */
export type EventPayload<F extends string, E extends string> = F extends keyof Flows
  ? E extends keyof Flows[F]['events'] ? Flows[F]['events'][E] : never
  : unknown
/** The app's trigger names. */
export type TriggerName = NventTypes extends { triggers: infer T extends string } ? T : string

type FlowOf<C> = C extends { flow: { name: infer F extends string } } ? F : string
type Names<A> = A extends readonly (infer N extends string)[] ? N : never
type EmitsOf<C> = C extends { flow: { emits: infer E } } ? Names<E> : never
type SubscribesOf<C> = C extends { flow: { subscribes: infer S } } ? Names<S> : never

/** A flow step's input: the payloads of the events it subscribes to, by event name. */
export type StepInput<C> = { [E in SubscribesOf<C>]: EventPayload<FlowOf<C>, E> }

/** The handler context of the step `C` configures: it emits only the events its config lists. */
export type StepContext<C> = Omit<RunContext, 'flow'> & {
  flow: Omit<RunContext['flow'], 'emit'> & {
    /** Emits an event of this step (one of its `emits`); it takes effect when the step completes. */
    emit<E extends EmitsOf<C>>(name: E, ...data: undefined extends EventPayload<FlowOf<C>, E> ? [data?: EventPayload<FlowOf<C>, E>] : [data: EventPayload<FlowOf<C>, E>]): Promise<void>
  }
}

/** A step's handler given its config: an entry's input is what it declares, a step's is keyed by its subscriptions. */
export type TypedHandler<C extends FunctionConfig, I, O> = (
  input: C extends { flow: { role: 'step' } } ? StepInput<C> : I,
  ctx: StepContext<C>,
) => O | Promise<O>

/** The app's step names that await (a webhook or an event), for `awaits.resolve` and `awaits.reject`. */
export type AwaitStepName = NventTypes extends { awaitSteps: infer S extends string } ? S : string

/** `useNvent().flow`, with the app's flow names and entry inputs. */
export interface TypedFlowApi extends Omit<FlowApi, 'start'> {
  start<F extends string>(name: KnownName<F, FlowName>, ...args: undefined extends FlowInput<F> ? [input?: FlowInput<F>, options?: StartOptions] : [input: FlowInput<F>, options?: StartOptions]): Promise<{ runId: string }>
}

/**
 * A literal name must be one of `Known`; a name only known at run time (a `string`, e.g. a route
 * parameter) passes, and the runtime checks it.
 */
type KnownName<F extends string, Known extends string> = string extends F ? F : F extends Known ? F : Known

/** `useNvent().triggers`, with the app's trigger names. */
export interface TypedTriggerApi extends Omit<TriggerApi, 'fire'> {
  fire<T extends string>(name: KnownName<T, TriggerName>, data?: unknown): Promise<TriggerFiring>
}

/** `useNvent().awaits`, with the app's awaiting steps. */
export interface TypedAwaitApi extends Omit<AwaitApi, 'resolve' | 'reject'> {
  resolve<S extends string>(runId: string, step: KnownName<S, AwaitStepName>, payload?: unknown): Promise<boolean>
  reject<S extends string>(runId: string, step: KnownName<S, AwaitStepName>, reason?: string): Promise<boolean>
}
