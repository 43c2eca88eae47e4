/** One shared command client per connection config, and a close that leaves nothing open behind it. */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisQueue, createRedisStore, createRedisStream } from '../../../src/runtime/adapters/redis'
import { acquireConnection } from '../../../src/runtime/adapters/redis/connection'
import { gate, waitFor } from '../../conformance/adapter-helpers'
import { REDIS_URL, unreachableReason } from '../../helpers/services'

const skip = await unreachableReason('Redis', REDIS_URL)
const base = `nvent-test-connections-${randomUUID()}`
const { hostname, port } = new URL(REDIS_URL)

describe.skipIf(Boolean(skip))('redis adapters: connections', () => {
  let observer: Redis
  beforeAll(() => {
    observer = new Redis(REDIS_URL)
  })
  afterAll(async () => {
    for await (const keys of observer.scanStream({ match: `${base}-*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0)
        await observer.unlink(...keys)
    }
    await observer.quit()
  })

  /** Connections the server sees, the observer's own included. */
  async function serverConnections(): Promise<number> {
    return (await observer.client('LIST') as string).trim().split('\n').length
  }

  it('shares one client between leases of the same config in any key order, and quits it after the last', async () => {
    const a = acquireConnection({ host: hostname, port: Number(port) })
    const b = acquireConnection({ port: Number(port), host: hostname })
    const other = acquireConnection({ host: hostname, port: Number(port), db: 1 })
    expect(b.client).toBe(a.client)
    expect(other.client).not.toBe(a.client)
    await a.release()
    expect(await b.client.ping()).toBe('PONG')
    await b.release()
    await other.release()
    expect([a.client.status, other.client.status]).toEqual(['end', 'end'])
  })

  it('runs queue, store and stream commands over one connection and closes it with the last adapter', async () => {
    const before = await serverConnections()
    const connection = { url: REDIS_URL }
    const queue = await createRedisQueue({ connection, prefix: `${base}-shared` })
    const store = await createRedisStore({ connection, prefix: `${base}-shared` })
    const stream = await createRedisStream({ connection, prefix: `${base}-shared` })
    await queue.enqueue('q', { name: 'n', data: 1 })
    await store.kvSet('k', 1)
    await stream.publish('t', 1)
    expect(await serverConnections()).toBe(before + 1)
    await Promise.all([queue.close(), store.close(), stream.close()])
    await waitFor(async () => await serverConnections() === before, 'every connection to be closed')
  })

  it('closing the queue waits for the running job, then leaves no worker connection open', async () => {
    const before = await serverConnections()
    const queue = await createRedisQueue({ connection: { url: REDIS_URL }, prefix: `${base}-close` })
    const held = gate()
    let started = false
    queue.process('q', async () => {
      started = true
      await held.opened
      return 'finished'
    }, { concurrency: 1 })
    const id = await queue.enqueue('q', { name: 'slow', data: null })
    await waitFor(() => started, 'the job to start')
    let closed = false
    const closing = queue.close().then(() => closed = true)
    await new Promise(resolve => setTimeout(resolve, 30))
    expect(closed).toBe(false)
    held.open()
    await closing
    await waitFor(async () => await serverConnections() === before, 'every connection to be closed')
    const reader = await createRedisQueue({ connection: { url: REDIS_URL }, prefix: `${base}-close` })
    expect((await reader.getJob('q', id))?.state).toBe('completed')
    await reader.close()
  })

  it('lets a process exit on its own after closing adapters that ran a job and a subscription', () => {
    const script = join(tmpdir(), `nvent-redis-exit-${randomUUID()}.ts`)
    const adapters = fileURLToPath(new URL('../../../src/runtime/adapters/redis/index.ts', import.meta.url))
    writeFileSync(script, `
      import { createRedisQueue, createRedisStore, createRedisStream } from ${JSON.stringify(adapters)}
      const connection = { url: ${JSON.stringify(REDIS_URL)} }
      const prefix = ${JSON.stringify(`${base}-exit`)}
      const [queue, store, stream] = [await createRedisQueue({ connection, prefix }), await createRedisStore({ connection, prefix }), await createRedisStream({ connection, prefix })]
      let done
      const ran = new Promise(resolve => done = resolve)
      queue.process('q', async () => done(), { concurrency: 2 })
      await stream.subscribe('t', () => {})
      await queue.enqueue('q', { name: 'n', data: null })
      await ran
      await store.kvSet('k', 1)
      await Promise.all([queue.close(), store.close(), stream.close()])
      console.log('closed')
    `)
    const jiti = fileURLToPath(new URL('../../../node_modules/.bin/jiti', import.meta.url))
    const child = spawnSync(jiti, [script], { timeout: 15_000, encoding: 'utf8' })
    rmSync(script)
    expect(child.stderr).toBe('')
    expect(child.stdout.trim()).toBe('closed')
    expect(child.status).toBe(0)
  })
})
