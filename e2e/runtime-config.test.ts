// One production build, started twice with different environments: each start on its own Redis database or
// PostgreSQL schemas, read from NUXT_NVENT_* variables at start (runtime config), never from the build.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { Redis } from 'ioredis'
import { join } from 'pathe'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '../src/runtime/types/run'
import { waitFor } from '../test/helpers/engine-app'
import { POSTGRES_URL, REDIS_URL } from '../test/helpers/services'
import { serverBackends } from './helpers/backends'
import type { RunningServer } from './helpers/server'
import { api, buildAppOnce, repoRoot, request, startServer } from './helpers/server'

const playground = join(repoRoot, 'playground')

/** Per backend: the build's prefix, each start's environment, and where a start's run ended up on the server. */
const setups = {
  redis: {
    prefix: 'e2edash',
    env: (start: 'a' | 'b') => ({ NUXT_NVENT_CONNECTIONS_REDIS_URL: `${REDIS_URL}/${start === 'a' ? 3 : 4}` }),
    /** The Redis database (0 is the build's) holding the run's record. */
    async placeOf(runId: string): Promise<number[]> {
      const found: number[] = []
      for (const db of [0, 3, 4]) {
        const redis = new Redis(`${REDIS_URL}/${db}`)
        if (await redis.exists(`e2edash:run:${runId}`)) found.push(db)
        await redis.quit()
      }
      return found
    },
    cleanup: (backend: typeof serverBackends[number]) => Promise.all([3, 4].map(db => backend.cleanup('e2edash', `${REDIS_URL}/${db}`))),
  },
  postgres: {
    prefix: 'e2ecfg',
    env: (start: 'a' | 'b') => ({ NUXT_NVENT_QUEUE_SCHEMA: `e2ecfg${start}_queue`, NUXT_NVENT_STORE_SCHEMA: `e2ecfg${start}_store` }),
    /** The store schemas holding the run's record. */
    async placeOf(runId: string): Promise<string[]> {
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      const found: string[] = []
      for (const schema of ['e2ecfg_store', 'e2ecfga_store', 'e2ecfgb_store']) {
        const { rows } = await client.query(`SELECT to_regclass('${schema}.runs') IS NOT NULL AS present`)
        if (rows[0].present && (await client.query(`SELECT 1 FROM ${schema}.runs WHERE id = $1`, [runId])).rowCount)
          found.push(schema)
      }
      await client.end()
      return found
    },
    cleanup: (backend: typeof serverBackends[number]) => Promise.all(['e2ecfg', 'e2ecfga', 'e2ecfgb'].map(prefix => backend.cleanup(prefix))),
  },
}

for (const backend of serverBackends) {
  const skip = await backend.skip()
  const setup = setups[backend.name]
  describe.skipIf(Boolean(skip))(`${backend.name}: one build, two starts with different environments${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const dirs: string[] = []
    const servers: Partial<Record<'a' | 'b', RunningServer>> = {}

    beforeAll(async () => {
      await setup.cleanup(backend)
      buildAppOnce(playground, { NVENT_BACKEND: backend.name, NVENT_PREFIX: setup.prefix })
      for (const start of ['a', 'b'] as const) {
        const cwd = mkdtempSync(join(tmpdir(), 'nvent-runtime-config-'))
        dirs.push(cwd)
        servers[start] = await startServer(playground, { cwd, env: setup.env(start) })
      }
    }, 180_000)

    afterAll(async () => {
      await Promise.all(Object.values(servers).map(server => server.stop()))
      for (const dir of dirs)
        rmSync(dir, { recursive: true, force: true })
      await setup.cleanup(backend)
    })

    const runToEnd = async (server: RunningServer, orderId: string) => {
      const { runId } = await api<{ runId: string }>(server, '/api/flows/order/start', { method: 'POST', body: { orderId, total: 3 } })
      await waitFor(async () => (await api<{ run: RunRecord }>(server, `/api/runs/${runId}`)).run.status === 'completed', `${orderId} to complete`, 30_000)
      return runId
    }

    it('runs each start\'s flows on the server its environment names, apart from the other\'s', async () => {
      const runA = await runToEnd(servers.a!, 'cfg-a')
      const runB = await runToEnd(servers.b!, 'cfg-b')
      const [placeA, placeB] = [await setup.placeOf(runA), await setup.placeOf(runB)]
      expect(placeA).toEqual(backend.name === 'redis' ? [3] : ['e2ecfga_store'])
      expect(placeB).toEqual(backend.name === 'redis' ? [4] : ['e2ecfgb_store'])
      // Neither sees the other's run.
      expect((await request(servers.a!, `/api/runs/${runB}`)).status).toBe(404)
      expect((await request(servers.b!, `/api/runs/${runA}`)).status).toBe(404)
    })
  })
}

describe('a variable the server cannot read', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'nvent-runtime-config-'))
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))

  it('stops the start, naming the variable', async () => {
    buildAppOnce(playground)
    const started = startServer(playground, { cwd, env: { NUXT_NVENT_CONNECTIONS_REDIS_PORT: 'six' } })
    await expect(started).rejects.toThrow('could not start, so the server stops: nvent: runtime config nvent.connections.redis.port (NUXT_NVENT_CONNECTIONS_REDIS_PORT) must be a number, got "six"')
  })
})
