/**
 * A private Redis server on its own port, for tests that stop and restart the backend. It keeps an
 * append-only file synced on every write, so a restart loses nothing.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'pathe'
import { Redis } from 'ioredis'

export interface PrivateRedis {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  remove(): Promise<void>
}

/** Why such a server cannot run here (no redis-server binary), or undefined. Under CI a missing binary fails. */
export function privateRedisUnavailable(): string | undefined {
  if (spawnSync('redis-server', ['--version']).status === 0)
    return undefined
  if (process.env.CI)
    throw new Error('redis-server is not installed (CI=true: the reconnect tests must run)')
  return 'redis-server is not installed'
}

export async function startPrivateRedis(port: number): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'nvent-redis-'))
  const url = `redis://127.0.0.1:${port}`
  const ping = () => new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    .on('error', () => {}) // refused while the server is down: the caller polls
  async function start() {
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'yes'], { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) {
      const client = ping()
      const up = await client.connect().then(() => client.ping()).then(() => true, () => false)
      client.disconnect()
      if (up)
        return
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    throw new Error(`private redis-server on port ${port} did not start`)
  }
  async function stop() {
    const client = ping()
    await client.connect()
    // SHUTDOWN closes every client connection at once, as a crashed or restarted server would.
    await client.call('SHUTDOWN', 'NOSAVE').catch(() => {})
    client.disconnect()
  }
  await start()
  // The server may still be closing its files after SHUTDOWN: removing the dir retries a few times.
  return { url, start, stop, async remove() { await stop().catch(() => {}); rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }) } }
}
