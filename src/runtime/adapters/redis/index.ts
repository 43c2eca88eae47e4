/**
 * The Redis backend: the queue on BullMQ, the store on ioredis (Lua scripts for every run transition,
 * a Redis Stream per run for its events), live events on pub/sub. Adapters created with the same
 * connection options in one process share one command client.
 */
import type { KeepJobs, QueueAdapter } from '../../contracts/queue'
import type { StoreAdapter } from '../../contracts/store'
import { eventsCap } from '../shared/logs'
import type { StreamAdapter } from '../../contracts/stream'
import { DEFAULT_CRASH_RECOVERY, leaseMs } from '../shared/crash-recovery'
import { acquireConnection, type RedisConnectionOptions } from './connection'
import { toBullKeep } from './job'
import { RedisQueue } from './queue'
import { RedisStore } from './store'
import { RedisStream } from './stream'

export type { RedisConnectionOptions }

/** The default namespace of every key and channel. */
const DEFAULT_PREFIX = 'nvent'

export interface RedisQueueOptions {
  connection: RedisConnectionOptions
  /** Namespace of the queue's keys; BullMQ's keys go under `<prefix>:bull`. @default 'nvent' */
  prefix?: string
  /** Finished jobs kept per queue, unless a job says otherwise. @default { completed: { count: 1000 }, failed: { count: 5000 } } */
  retention?: { completed?: KeepJobs, failed?: KeepJobs }
  /**
   * Milliseconds within which a job whose worker died runs again: BullMQ's job lock lasts half of it,
   * and the stalled-job check runs every half. @default 60000
   */
  crashRecovery?: number
}

export interface RedisStoreOptions {
  connection: RedisConnectionOptions
  /** Namespace of the store's keys. @default 'nvent' */
  prefix?: string
  /** Events kept in one run's log: appending more drops the oldest. @default 10000 (`DEFAULT_EVENTS_PER_RUN`) */
  eventsPerRun?: number
}

export interface RedisStreamOptions {
  connection: RedisConnectionOptions
  /** Channels are `<prefix>:<topic>`. @default 'nvent' */
  prefix?: string
}

export async function createRedisQueue(options: RedisQueueOptions): Promise<QueueAdapter> {
  const { retention = {} } = options
  return new RedisQueue(acquireConnection(options.connection), {
    prefix: `${options.prefix ?? DEFAULT_PREFIX}:bull`,
    removeOnComplete: toBullKeep(retention.completed ?? { count: 1000 }),
    removeOnFail: toBullKeep(retention.failed ?? { count: 5000 }),
    lease: leaseMs(options.crashRecovery ?? DEFAULT_CRASH_RECOVERY),
  })
}

export async function createRedisStore(options: RedisStoreOptions): Promise<StoreAdapter> {
  const eventsPerRun = eventsCap(options.eventsPerRun)
  // Checked before the connection is taken, so a refused option leaves nothing open.
  const store = new RedisStore(acquireConnection(options.connection), options.prefix ?? DEFAULT_PREFIX, eventsPerRun)
  try {
    return await store.open()
  }
  catch (error) {
    await store.close()
    throw error
  }
}

export async function createRedisStream(options: RedisStreamOptions): Promise<StreamAdapter> {
  return new RedisStream(acquireConnection(options.connection), options.prefix ?? DEFAULT_PREFIX)
}
