/** Reading a run's whole log page by page, and what it tells about the run's state keys. */
import type { StoreAdapter } from '../contracts/store'
import type { RunEvent } from '../types/run'

/** Events read per store call while scanning a log. */
const SCAN_PAGE = 1000

/** Calls `visit` on the run's events after `after`, oldest first, until it returns false or the log ends. */
export async function scanEvents(store: StoreAdapter, runId: string, visit: (event: RunEvent) => boolean | void, after?: string): Promise<void> {
  for (;;) {
    const page = await store.readEvents(runId, { after, limit: SCAN_PAGE })
    for (const event of page) {
      if (visit(event) === false)
        return
    }
    if (page.length < SCAN_PAGE)
      return
    after = page.at(-1)!.id
  }
}

/** The keys the run's `state` events name: every key a step set (or deleted) during the run. */
export async function stateKeysOf(store: StoreAdapter, runId: string): Promise<string[]> {
  const keys = new Set<string>()
  await scanEvents(store, runId, (event) => {
    if (event.type === 'state')
      keys.add((event.data as { key: string }).key)
  })
  return [...keys]
}

/** The run's state now, by key (a key deleted or expired is absent). */
export async function readRunState(store: StoreAdapter, runId: string): Promise<Record<string, unknown>> {
  const values = await Promise.all((await stateKeysOf(store, runId)).map(async key => [key, await store.stateGet(runId, key)] as const))
  return Object.fromEntries(values.filter(([, value]) => value !== undefined))
}

/** Copies the run state of `from` into the scope of `to` (a rerun), key by key. */
export async function copyRunState(store: StoreAdapter, from: string, to: string): Promise<void> {
  const state = await readRunState(store, from)
  await Promise.all(Object.entries(state).map(([key, value]) => store.stateSet(to, key, value)))
}
