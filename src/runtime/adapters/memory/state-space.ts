/** Run state by scope (a run id), each key with an optional expiry; the store book changes it through ops. */
import type { KvEntry } from './store-book'

export type StateSnapshot = [string, [string, KvEntry][]][]

export class StateSpace {
  private scopes = new Map<string, Map<string, KvEntry>>()

  /** The live entry of `key` in `scope`, or undefined if absent or expired at `now`. */
  get(scope: string, key: string, now: number): KvEntry | undefined {
    const entry = this.scopes.get(scope)?.get(key)
    return entry && (entry.expiresAt === undefined || entry.expiresAt > now) ? entry : undefined
  }

  set(scope: string, key: string, entry: KvEntry) {
    let keys = this.scopes.get(scope)
    if (!keys)
      this.scopes.set(scope, keys = new Map())
    keys.set(key, entry)
  }

  delete(scope: string, key: string) {
    const keys = this.scopes.get(scope)
    keys?.delete(key)
    if (keys?.size === 0)
      this.scopes.delete(scope)
  }

  clear(scope: string) {
    this.scopes.delete(scope)
  }

  /** Forgets expired keys (and scopes left empty). Invisible to readers, so it needs no op. */
  sweepExpired(now: number) {
    for (const [scope, keys] of this.scopes) {
      for (const key of keys.keys()) {
        if (!this.get(scope, key, now))
          keys.delete(key)
      }
      if (keys.size === 0)
        this.scopes.delete(scope)
    }
  }

  snapshot(): StateSnapshot {
    return [...this.scopes].map(([scope, keys]) => [scope, [...keys]])
  }

  restore(snapshot: StateSnapshot = []) {
    this.scopes = new Map(snapshot.map(([scope, keys]) => [scope, new Map(keys)]))
  }
}
