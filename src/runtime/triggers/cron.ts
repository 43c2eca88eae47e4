/**
 * The cron scheduler of a worker instance. Every instance arms croner for each enabled schedule and
 * fires each tick, with run ids derived from the trigger and the tick: the first instance creates the
 * runs and the others find them, so a tick starts each flow once however many instances run, and still
 * does when one of them dies mid-tick. The instance that claims the tick in the store records it in the
 * history. Ticks that fall while no worker instance runs are skipped, not caught up.
 */
import { consola } from 'consola'
import type { Cron } from 'croner'
import type { NventContext } from '../engine/nvent-context'
import { cronOf } from './cron-schedule'
import { TRIGGERS_TOPIC } from './trigger-book'

/** How long a tick's claim is kept: far longer than any clock skew between instances. */
const TICK_CLAIM_TTL = 10 * 60_000
/** Schedules are re-read this often, in case a change notice was missed. */
const RELOAD_INTERVAL = 15_000

const logger = consola.withTag('nvent')

/** The tick a croner callback belongs to: the latest scheduled time not after now. */
function scheduledTick(job: Cron): number {
  return job.previousRuns(1, new Date(Date.now() + 1))[0]?.getTime() ?? Math.floor(Date.now() / 1000) * 1000
}

export function startScheduler(context: NventContext): () => Promise<void> {
  const book = context.triggerBook
  const jobs = new Map<string, { key: string, job: Cron }>()

  async function tick(name: string, job: Cron): Promise<void> {
    const at = scheduledTick(job)
    try {
      const record = await context.adapters.store.kvClaim(`trigger:tick:${name}:${at}`, context.instanceId, { ttl: TICK_CLAIM_TTL })
      await book.fire(name, { scheduledAt: at }, 'schedule', { dedupe: `schedule:${name}:${at}`, record })
    }
    catch (error) {
      logger.error(`schedule "${name}" could not fire for ${new Date(at).toISOString()}:`, error)
    }
  }

  async function reload(): Promise<void> {
    const wanted = new Map<string, { key: string, record: Awaited<ReturnType<typeof book.all>>[number] }>()
    for (const record of await book.all()) {
      if (record.type === 'time' && record.enabled && record.config.cron)
        wanted.set(record.name, { key: `${record.config.cron}|${record.config.timezone ?? ''}`, record })
    }
    for (const [name, armed] of jobs) {
      if (wanted.get(name)?.key !== armed.key) {
        armed.job.stop()
        jobs.delete(name)
      }
    }
    for (const [name, { key, record }] of wanted) {
      if (jobs.has(name))
        continue
      try {
        const job = cronOf(record.config)
        job.schedule(() => tick(name, job))
        job.resume()
        jobs.set(name, { key, job })
      }
      catch (error) {
        logger.error(`schedule "${name}" is not valid:`, error)
      }
    }
  }

  // Reloads run one after another, and none after stopping, so no schedule is armed once it stopped.
  let stopped = false
  let reloading: Promise<void> = Promise.resolve()
  const reloadQuietly = () => {
    reloading = reloading.then(() => stopped ? undefined : reload()).catch(error => logger.warn('could not read the schedules:', error))
  }
  const timer = setInterval(reloadQuietly, RELOAD_INTERVAL)
  timer.unref?.()
  const unsubscribed = context.adapters.stream.subscribe(TRIGGERS_TOPIC, reloadQuietly)
  reloadQuietly()

  return async () => {
    stopped = true
    clearInterval(timer)
    await reloading
    await (await unsubscribed)()
    for (const { job } of jobs.values()) job.stop()
    jobs.clear()
  }
}
