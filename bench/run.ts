/**
 * `npm run bench`: every measurement in one process, the tables printed, and the latest written to
 * bench/RESULTS.md. Whatever RESULTS.md holds below ANALYSIS_MARKER (the hand-written analysis) is kept.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { measureAppends } from './appends'
import { measureBounded } from './bounded'
import { measureClientSize } from './client-size'
import { measureFlows } from './flows'
import { benchBackends, cleanupBackends, POSTGRES_URL, REDIS_URL } from './backends'
import { measureHopLatency } from './hop-latency'
import { measureMonitor } from './monitor'
import { measureOutputSize } from './output-size'
import { measureStoreSize } from './store-size'
import { measureThroughput } from './throughput'
import type { Table } from './util'
import { renderTable } from './util'

const RESULTS = join(import.meta.dirname ?? __dirname, 'RESULTS.md')
const ANALYSIS_MARKER = '<!-- analysis: kept as is by npm run bench -->'

async function serverVersions(): Promise<string> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
  const info = await redis.info('server')
  await redis.quit()
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  const { rows } = await client.query('SHOW server_version')
  await client.end()
  return `Redis ${/redis_version:(\S+)/.exec(info)?.[1]}, PostgreSQL ${rows[0].server_version}`
}

async function main() {
  const started = Date.now()
  const backends = await benchBackends()
  const cpu = cpus()
  const environment = [
    `- date: ${new Date(started).toISOString()}`,
    `- node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
    `- servers (localhost): ${await serverVersions()}`,
    `- PostgreSQL adapter: ${backends.postgres.missing ? `n/a (${backends.postgres.missing})` : 'present'}`,
  ]
  console.log(environment.join('\n'))
  if (backends.postgres.missing)
    console.log(`PostgreSQL nvent rows are n/a: ${backends.postgres.missing}`)

  const tables: Table[] = []
  try {
    for (const measure of [measureThroughput, measureHopLatency, measureFlows, measureAppends, measureStoreSize, measureBounded, measureMonitor, measureClientSize, measureOutputSize]) {
      for (const table of [await measure(backends)].flat()) {
        console.log(`\n${renderTable(table)}`)
        tables.push(table)
      }
    }
  }
  finally {
    await cleanupBackends()
  }
  environment.push(`- whole run: ${((Date.now() - started) / 1000).toFixed(0)} s`)

  const kept = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8').split(ANALYSIS_MARKER)[1] : undefined
  writeFileSync(RESULTS, [
    '# nvent benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); each comparison ran both sides in one process, against the same servers.',
    '',
    ...environment,
    '',
    ...tables.map(renderTable),
    ANALYSIS_MARKER,
    kept ?? '\n## Analysis\n\n(not written yet)\n',
  ].join('\n'))
  console.log(`\nwrote ${RESULTS} (${environment.at(-1)!.slice(2)})`)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
