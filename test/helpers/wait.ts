/** Waiting in tests: poll for a condition instead of sleeping a fixed time. */

/** Polls `check` until it returns a truthy value, or fails after `timeout` ms naming `what`. */
export async function waitFor<T>(check: () => Promise<T> | T, what: string, timeout = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout
  while (true) {
    const value = await check()
    if (value)
      return value as NonNullable<T>
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await sleep(5)
  }
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms))
}
