/**
 * Flow runs per second: every run of an N-step flow started at once, timed from the first `flow.start`
 * to the last `flow.completed`, beside raw N-job chains on the library under the backend (same server,
 * same concurrency, one process). Each step logs a line and emits; the first also sets a state key.
 */
import type { RunEvent } from '../src/runtime/types/run'
import type { TestApp, TestStep } from '../test/helpers/engine-app'
import { startApp } from '../test/helpers/engine-app'
import type { BackendName, BenchBackend } from './backends'
import { cleanupBackends } from './backends'
import type { ChainSample } from './raw-chains'
import { bullmqChains, pgBossChains } from './raw-chains'
import type { Table } from './util'
import { runBatches } from './run-batches'
import { fmt, now, percentile, verdict, wire } from './util'

const CONCURRENCY = 4
const LENGTHS = [2, 5]
const SIZES = [300, 1_000]
const WARMUP_RUNS = 500
/** Runs whose event logs give the hop figures. */
const HOP_SAMPLE = 100

const TARGET_RATIO: Partial<Record<BackendName, number>> = { redis: 0.5, postgres: 1 }
const TARGET_MEMORY_RUNS = 5_000
const TARGET_REDIS_CMDS_PER_STEP = 12

/** A flow of `length` steps s0 → s1 → …, each handed on by an emit. */
export function chainFlow(length: number): TestApp {
  const steps: TestStep[] = Array.from({ length }, (_, i) => ({
    step: `s${i}`,
    entry: i === 0,
    subscribes: i === 0 ? [] : [`s${i - 1}.done`],
    emits: [`s${i}.done`],
    async run(input, ctx) {
      ctx.logger.log('info', `step ${i} of run ${ctx.runId}`, { i })
      if (i === 0)
        await ctx.state.set('seen', true)
      await ctx.flow.emit(`s${i}.done`, { i })
    },
  }))
  return { flows: { bench: steps } }
}

interface FlowSample extends ChainSample {
  /** Redis commands or PostgreSQL queries sent per step. */
  wirePerStep: number
}

function hopsOf(events: RunEvent[], length: number): number[] {
  const at = (type: string, step: string) => events.find(e => e.type === type && e.step === step)?.ts
  const hops: number[] = []
  for (let i = 1; i < length; i++) {
    const started = at('step.started', `s${i}`)
    const completed = at('step.completed', `s${i - 1}`)
    if (started !== undefined && completed !== undefined)
      hops.push(started - completed)
  }
  return hops
}

async function nventFlows(backend: BenchBackend, runs: number, length: number): Promise<FlowSample> {
  const { nvent, close } = await startApp(backend, chainFlow(length), { adapters: await backend.create(), queue: { worker: { concurrency: CONCURRENCY } } })
  const batches = await runBatches(nvent)
  try {
    await batches.startAll('bench', WARMUP_RUNS)
    const counter = backend.name === 'postgres' ? 'pg' : 'redis'
    const wire0 = wire[counter]
    const t0 = now()
    const runIds = await batches.startAll('bench', runs)
    const ms = now() - t0
    const wirePerStep = (wire[counter] - wire0) / (runs * length)
    const every = Math.max(1, Math.floor(runs / HOP_SAMPLE))
    const hops: number[] = []
    for (let i = 0; i < runs; i += every)
      hops.push(...hopsOf(await nvent.flow.events(runIds[i]!), length))
    return { chains: runs, ms, hops, wirePerStep }
  }
  finally {
    await batches.close()
    await close()
  }
}

const perSecond = (s: ChainSample) => s.chains / (s.ms / 1000)
const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50)

/** Every verdict of a row: `met` when all are met, else each miss. */
function verdicts(checks: Array<[boolean, string]>): string {
  const misses = checks.filter(([ok]) => !ok).map(([, what]) => what)
  return checks.length === 0 ? '' : misses.length ? misses.join('; ') : 'met'
}

async function backendRows(backend: BenchBackend, raw?: (chains: number, length: number, concurrency: number) => Promise<ChainSample>): Promise<string[][]> {
  const rows: string[][] = []
  const name = backend.name
  for (const length of LENGTHS) {
    let atSmallest: number | undefined
    for (const runs of SIZES) {
      if (backend.missing) {
        rows.push([name, fmt(length), fmt(runs), `n/a (${backend.missing})`, '', '', '', '', '', '', ''])
        continue
      }
      // The raw side warms up as nvent's does, so neither is timed on code the JIT has not compiled yet.
      if (raw)
        await raw(WARMUP_RUNS, length, CONCURRENCY)
      const rawSample = raw && await raw(runs, length, CONCURRENCY)
      const sample = await nventFlows(backend, runs, length)
      await cleanupBackends()
      const rate = perSecond(sample)
      const ratio = rawSample && rate / perSecond(rawSample)
      const targets: string[] = []
      const checks: Array<[boolean, string]> = []
      const ratioTarget = TARGET_RATIO[name]
      if (ratioTarget !== undefined && ratio !== undefined) {
        targets.push(`>= ${fmt(ratioTarget, 2)}x raw`)
        checks.push([ratio >= ratioTarget, verdict(ratio, ratioTarget, true, 'x')])
      }
      if (name === 'redis') {
        targets.push(`<= ${TARGET_REDIS_CMDS_PER_STEP} cmds/step`)
        checks.push([sample.wirePerStep <= TARGET_REDIS_CMDS_PER_STEP, verdict(sample.wirePerStep, TARGET_REDIS_CMDS_PER_STEP, false, ' cmds', 1)])
        if (atSmallest !== undefined) {
          targets.push(`runs/s >= at ${fmt(SIZES[0])}`)
          checks.push([rate >= atSmallest, `missed (${fmt(rate)} runs/s, below ${fmt(atSmallest)} at ${fmt(SIZES[0])})`])
        }
      }
      if (name === 'memory' && length === 2) {
        targets.push(`>= ${fmt(TARGET_MEMORY_RUNS)} runs/s`)
        checks.push([rate >= TARGET_MEMORY_RUNS, verdict(rate, TARGET_MEMORY_RUNS, true, ' runs/s')])
      }
      atSmallest ??= rate
      rows.push([
        name,
        fmt(length),
        fmt(runs),
        fmt(rate),
        rawSample ? fmt(perSecond(rawSample)) : '',
        ratio === undefined ? '' : `${fmt(ratio, 2)}x`,
        `${fmt(p50(sample.hops))}${rawSample ? ` / ${fmt(p50(rawSample.hops))}` : ''}`,
        name === 'memory' ? '' : `${fmt(sample.wirePerStep, 1)} ${name === 'postgres' ? 'queries' : 'cmds'}`,
        targets.join(', '),
        verdicts(checks),
      ])
    }
  }
  return rows
}

/** `only` limits the backends measured (a single section run). */
export async function measureFlows(backends: Record<BackendName, BenchBackend>, only: BackendName[] = ['memory', 'redis', 'postgres']): Promise<Table> {
  const raws: Partial<Record<BackendName, typeof bullmqChains>> = { redis: bullmqChains, postgres: pgBossChains }
  const rows: string[][] = []
  for (const name of only)
    rows.push(...await backendRows(backends[name], raws[name]))
  return {
    title: `5. Flow runs/s: every run started at once, first flow.start to last flow.completed (worker concurrency ${CONCURRENCY})`,
    headers: ['backend', 'steps', 'runs at once', 'nvent runs/s', 'raw chains/s', 'nvent/raw', 'hop p50 ms nvent / raw', 'wire/step', 'target', 'verdict'],
    rows,
    notes: [
      'Each step logs a line (printed and kept in the run log) and emits the event the next step subscribes to; the first also sets a state key. All steps share one queue.',
      'raw: chains of as many jobs, each enqueuing the next from its handler (BullMQ Queue.add + Worker; pg-boss send + fetch/complete loops that look again 2 ms after finding the queue empty). Both sides run the same number of warm-up runs (or chains) first.',
      `hop: nvent from a step's \`step.completed\` to the next \`step.started\` (store timestamps, ${HOP_SAMPLE} runs sampled); raw from a job's handler end to the next job's handler start.`,
      'wire/step: commands ioredis sent or queries pg sent by the whole process during the timed part, per step (every event, log line and state write included).',
    ],
  }
}
