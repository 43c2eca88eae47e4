/**
 * A process-wide cache of resources (a connection pool, a client) shared by every adapter that names the
 * same options, counting who holds each and disposing of it after the last holder lets go.
 */

/** A hold on a shared resource; `release` is idempotent, and the last release disposes of the resource. */
export interface Share<T> {
  readonly value: T
  release(): Promise<void>
}

interface Entry<T> {
  value: T
  holders: number
}

/** Creates resources with `create` on first use of their options and disposes of them with `dispose`. */
export class SharedResources<Options extends object, T> {
  private readonly entries = new Map<string, Entry<T>>()

  constructor(private readonly create: (options: Options) => T, private readonly dispose: (value: T) => Promise<void>) {}

  /** Takes a hold on the resource for `options`, creating it if nobody holds one yet. */
  acquire(options: Options): Share<T> {
    const key = stableKey(options)
    let entry = this.entries.get(key)
    if (!entry) {
      entry = { value: this.create(options), holders: 0 }
      this.entries.set(key, entry)
    }
    entry.holders++
    const held = entry
    let released = false
    return {
      value: held.value,
      release: async () => {
        // A second release by the same holder must not take someone else's share.
        if (released)
          return
        released = true
        if (--held.holders > 0)
          return
        if (this.entries.get(key) === held)
          this.entries.delete(key)
        await this.dispose(held.value)
      },
    }
  }
}

/** The same options spelled in any key order, or with `undefined` fields, give the same key. */
function stableKey(options: object): string {
  const fields = Object.entries(options).filter(([, value]) => value !== undefined)
  return JSON.stringify(fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
