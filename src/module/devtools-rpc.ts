/**
 * The functions the Nvent tab calls over DevTools' RPC: each checks DevTools' dev auth token (the RPC
 * channel is open to any page the dev server serves), then runs through the bridge. The live feed is
 * followed from the first call on: before a tab has called, nobody is there to push to.
 */
import type { DevtoolsServerFunctions } from '../runtime/types/devtools'
import type { Bridge, LiveHandlers } from './devtools-bridge'

export interface RpcOptions {
  /** DevTools' own check: throws unless `token` is this machine's dev auth token. */
  ensureDevAuthToken(token: string): Promise<void>
  /** Where live messages go (DevTools' broadcast to every open tab). */
  push: LiveHandlers
}

export function createRpcFunctions(bridge: Bridge, { ensureDevAuthToken, push }: RpcOptions): DevtoolsServerFunctions & { stop(): void } {
  let following: { stop(): void } | undefined
  return {
    async call(token, fn, args) {
      await ensureDevAuthToken(token)
      following ??= bridge.follow(push)
      return bridge.call(fn, args)
    },
    stop: () => following?.stop(),
  }
}
