/**
 * The store's atomic operations, one Lua file each in `./lua`, registered on a client with ioredis
 * `defineCommand` (which runs them by SHA and reloads them if the server forgot them).
 */
import type { Redis } from 'ioredis'
import { luaSources } from './lua'

/** Each script's own source (the `.lua` files, shipped through the generated `./lua` module). */
const SCRIPTS = {
  createRun: luaSources.createRun,
  commitRun: luaSources.commitRun,
  appendEvents: luaSources.appendEvents,
  listRuns: luaSources.listRuns,
  runStats: luaSources.runStats,
  rebuildIndexes: luaSources.rebuildIndexes,
  pruneRuns: luaSources.pruneRuns,
  stateWrite: luaSources.stateWrite,
  stateClear: luaSources.stateClear,
} as const

export type ScriptName = keyof typeof SCRIPTS

export type StoreScripts = Record<ScriptName, (keys: string[], args: (string | number)[]) => Promise<unknown>>

type Command = (...args: (string | number)[]) => Promise<unknown>

/** Prefixed so they never clash with the commands BullMQ defines on the same shared client. */
function commandName(name: ScriptName): string {
  return `nvent_${name}`
}

const defined = new WeakSet<Redis>()

export function storeScripts(client: Redis): StoreScripts {
  if (!defined.has(client)) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      // Lua scripts cannot call one another: the shared functions go before each script. Without a fixed
      // key count, each call passes its own first: the number of keys it gives.
      client.defineCommand(commandName(name as ScriptName), { lua: `${luaSources.helpers}\n${lua}` })
    }
    defined.add(client)
  }
  const commands = client as unknown as Record<string, Command>
  const call = (name: ScriptName) => (keys: string[], args: (string | number)[]) => commands[commandName(name)]!(keys.length, ...keys, ...args)
  return Object.fromEntries(Object.keys(SCRIPTS).map(name => [name, call(name as ScriptName)])) as StoreScripts
}
