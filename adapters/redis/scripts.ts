/**
 * The store's atomic operations, one Lua file each in `./lua`, registered on a client with ioredis
 * `defineCommand` (which runs them by SHA and reloads them if the server forgot them).
 */
import type { Redis } from 'ioredis'
import { luaSources } from './lua'

/** Each script's own source (the `.lua` files, shipped through the generated `./lua` module) and its key count. */
const SCRIPTS = {
  createRun: { lua: luaSources.createRun, numberOfKeys: 8 },
  commitRun: { lua: luaSources.commitRun, numberOfKeys: 6 },
  appendEvents: { lua: luaSources.appendEvents, numberOfKeys: 2 },
  listRuns: { lua: luaSources.listRuns, numberOfKeys: 1 },
  pruneRuns: { lua: luaSources.pruneRuns, numberOfKeys: 7 },
  stateWrite: { lua: luaSources.stateWrite, numberOfKeys: 2 },
  stateClear: { lua: luaSources.stateClear, numberOfKeys: 1 },
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
    for (const [name, script] of Object.entries(SCRIPTS)) {
      // Lua scripts cannot call one another: the shared functions go before each script.
      client.defineCommand(commandName(name as ScriptName), { ...script, lua: `${luaSources.helpers}\n${script.lua}` })
    }
    defined.add(client)
  }
  const commands = client as unknown as Record<string, Command>
  const call = (name: ScriptName) => (keys: string[], args: (string | number)[]) => commands[commandName(name)]!(...keys, ...args)
  return Object.fromEntries(Object.keys(SCRIPTS).map(name => [name, call(name as ScriptName)])) as StoreScripts
}
