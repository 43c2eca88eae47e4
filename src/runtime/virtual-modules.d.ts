// Types of the `#nvent/*` virtual modules the module generates (see module/templates.ts). Referenced from
// the app's Nitro types and seen by this repository's own typecheck. No top-level import: the
// declarations must stay ambient.

declare module '#nvent/registry' {
  export const registry: import('./types/registry').Registry
}

declare module '#nvent/handlers' {
  export const handlers: Record<string, import('./types/function').FunctionHandler>
  /** The await hooks of the functions whose files export any, by function id. */
  export const hooks: Record<string, import('./types/await').AwaitHooks>
}

declare module '#nvent/options' {
  export const options: import('./types/options').ResolvedNventOptions
}

declare module '#nvent/adapters' {
  export function createAdapters(options: import('./types/options').ResolvedNventOptions): Promise<{
    queue: import('./contracts/queue').QueueAdapter
    store: import('./contracts/store').StoreAdapter
    stream: import('./contracts/stream').StreamAdapter
  }>
}

declare module '#nvent/dashboard-page' {
  /** The dashboard's index.html (marked as the dashboard) and icon, when the dashboard is enabled. */
  export const page: import('./server/dashboard/page-handler').DashboardPage
}
