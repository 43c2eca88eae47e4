/**
 * Reachability of the real backend servers. Outside CI a suite whose server is down is skipped with a
 * one-line reason; with CI=true an unreachable server is a failure, never a skip.
 */
import { Socket } from 'node:net'

export const REDIS_URL = process.env.NVENT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const POSTGRES_URL = process.env.NVENT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => { socket.destroy(); resolve(ok) }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, host, () => done(true))
  })
}

/**
 * Resolves `undefined` when the server at `url` answers; otherwise the reason to skip. Under CI it throws,
 * so the suite fails instead of passing by skipping.
 */
export async function unreachableReason(name: string, url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url)
  if (await reachable(hostname, Number(port)))
    return undefined
  const reason = `${name} at ${hostname}:${port} is unreachable`
  if (process.env.CI)
    throw new Error(`${reason} (CI=true: backend suites must run)`)
  console.warn(`skipping ${name} suites: ${reason}`)
  return reason
}
