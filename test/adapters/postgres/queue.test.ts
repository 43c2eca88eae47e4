/** PostgreSQL-only queue behaviour: what only shows with several instances on one database. */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createPostgresQueue } from '../../../src/runtime/adapters/postgres'
import { pgBossId, pgBossPriority } from '../../../src/runtime/adapters/postgres/jobs'
import type { QueueAdapter } from '../../../src/runtime/contracts/queue'
import { POSTGRES_URL, unreachableReason } from '../../helpers/services'
import { gate, sleep, waitFor } from '../../conformance/adapter-helpers'

const skip = await unreachableReason('PostgreSQL', POSTGRES_URL)
const connection = { connectionString: POSTGRES_URL }
const schemas: string[] = []
let open: QueueAdapter[] = []

/** Two instances of one app: separate adapters on the same schema. */
async function instances(count = 2): Promise<QueueAdapter[]> {
  const schema = `nvent_pgq_${randomUUID().slice(0, 8)}`
  schemas.push(schema)
  const made = await Promise.all(Array.from({ length: count }, () => createPostgresQueue({ connection, schema })))
  open.push(...made)
  return made
}

afterEach(async () => {
  await Promise.all(open.map(queue => queue.close()))
  open = []
})

afterAll(async () => {
  if (skip)
    return
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await client.end()
})

describe('postgres queue: job ids and priorities', () => {
  it('derives a stable UUID from any job id', () => {
    expect(pgBossId('run-1.step')).toBe(pgBossId('run-1.step'))
    expect(pgBossId('run-1.step')).not.toBe(pgBossId('run-2.step'))
    expect(pgBossId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('maps priority 1 highest and unprioritized lowest onto pg-boss order', () => {
    expect(pgBossPriority(1)).toBeGreaterThan(pgBossPriority(2))
    expect(pgBossPriority(1_000_000)).toBeGreaterThan(pgBossPriority(undefined))
    expect(pgBossPriority(undefined)).toBe(0)
  })
})

describe.skipIf(Boolean(skip))('postgres queue: across instances', () => {
  it('dedupes a jobId sent from two instances, while the job waits, runs and after it completed', async () => {
    const [a, b] = await instances()
    const held = gate()
    await Promise.all([a.enqueue('q', { name: 'n', data: 1, opts: { jobId: 'once' } }), b.enqueue('q', { name: 'n', data: 2, opts: { jobId: 'once' } })])
    expect((await a.counts('q')).waiting).toBe(1)
    let runs = 0
    a.process('q', async () => {
      runs++
      await held.opened
    }, { concurrency: 1 })
    await waitFor(async () => (await b.getJob('q', 'once'))?.state === 'active', 'the job to run')
    expect(await b.enqueue('q', { name: 'n', data: 3, opts: { jobId: 'once' } })).toBe('once')
    held.open()
    await waitFor(async () => (await b.getJob('q', 'once'))?.state === 'completed', 'completion')
    await b.enqueue('q', { name: 'n', data: 4, opts: { jobId: 'once' } })
    await sleep(50)
    expect(runs).toBe(1)
    expect(await b.counts('q')).toMatchObject({ waiting: 0, completed: 1 })
  })

  it('creates many queues at once from two instances on small pools without running out of connections', async () => {
    const schema = `nvent_pgq_${randomUUID().slice(0, 8)}`
    schemas.push(schema)
    // Each instance its own small pool (3 and 4 connections): more queues than connections, created all at once.
    const [a, b] = await Promise.all([3, 4].map(max => createPostgresQueue({ connection: { ...connection, max }, schema })))
    open.push(a!, b!)
    const names = Array.from({ length: 12 }, (_, i) => `many-${i}`)
    await Promise.all(names.flatMap(name => [a!, b!].map(queue => queue.enqueue(name, { name: 'n', data: null }))))
    const counts = await Promise.all(names.map(name => a!.counts(name)))
    expect(counts.map(count => count.waiting)).toEqual(names.map(() => 2))
  }, 60_000)

  it('starts a job enqueued on another instance at once, not at the next poll', async () => {
    const [worker, producer] = await instances()
    let startedAt = 0
    worker.process('q', async () => void (startedAt = Date.now()), { concurrency: 1 })
    await sleep(100) // the worker is idle, between polls
    const enqueuedAt = Date.now()
    await producer.enqueue('q', { name: 'n', data: null })
    await waitFor(() => startedAt > 0, 'the job to start')
    expect(startedAt - enqueuedAt).toBeLessThan(500)
  })

  it('pausing on one instance stops the workers of another, and resuming restarts them at once', async () => {
    const [worker, admin] = await instances()
    const ran: number[] = []
    worker.process('q', async job => void ran.push(job.data as number), { concurrency: 1 })
    await admin.pause('q')
    await sleep(50)
    await admin.enqueue('q', { name: 'n', data: 1 })
    await sleep(300)
    expect(ran).toEqual([])
    expect(await worker.isPaused('q')).toBe(true)
    const resumedAt = Date.now()
    await admin.resume('q')
    await waitFor(() => ran.length === 1, 'the job after resume')
    expect(Date.now() - resumedAt).toBeLessThan(500)
  })

  it('keeps the rate limit across instances', async () => {
    const queues = await instances(2)
    const startedAt: number[] = []
    for (const queue of queues)
      queue.process('q', async () => void startedAt.push(Date.now()), { concurrency: 5, limiter: { max: 2, duration: 100 } })
    await Promise.all(Array.from({ length: 6 }, (_, i) => queues[0]!.enqueue('q', { name: 'n', data: i })))
    await waitFor(() => startedAt.length === 6, 'six starts')
    startedAt.sort((x, y) => x - y)
    // Processors see a start only when their event loop gets to it, some ms after the database admitted
    // it; a limiter that let the third start into the window would show a gap of a few ms, not 80.
    for (let i = 2; i < startedAt.length; i++)
      expect(startedAt[i]! - startedAt[i - 2]!).toBeGreaterThanOrEqual(80)
  })

  it('keeps a job enqueued while no worker runs anywhere, and runs it on a worker started later', async () => {
    const [first] = await instances(1)
    const id = await first!.enqueue('q', { name: 'n', data: 'x', opts: { delay: 30, priority: 1 } })
    const done = gate()
    first!.process('q', async () => done.open(), { concurrency: 1 })
    await done.opened
    await waitFor(async () => (await first!.getJob('q', id))?.state === 'completed', 'completion')
  })
})
