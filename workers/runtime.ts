import { Queue, Worker } from 'bullmq'
import type { Redis } from 'ioredis'

import type { DB } from '#db/schema.ts'

import { QUEUE_NAMES, type QueueName, QUEUES } from './jobs/contract.ts'
import { processJob } from './jobs/index.ts'

/** One producer handle per queue (the relay adds to them); they may share one connection. */
export function openQueues(connection: Redis, prefix: string): Record<QueueName, Queue> {
  return Object.fromEntries(QUEUE_NAMES.map((q) => [q, new Queue(q, { connection, prefix })])) as Record<QueueName, Queue>
}

/**
 * One BullMQ Worker per queue, each with its queue's concurrency. A Worker blocks on its
 * connection, so each gets its own (`connect()` must give a new one, `maxRetriesPerRequest: null`).
 */
export function startWorkers(db: DB, opts: { connect: () => Redis; prefix: string }): Record<QueueName, Worker> {
  return Object.fromEntries(
    QUEUE_NAMES.map((q) => [
      q,
      new Worker(q, (job) => processJob(db, job.name, job.data), {
        connection: opts.connect(),
        prefix: opts.prefix,
        concurrency: QUEUES[q].concurrency,
      }),
    ]),
  ) as Record<QueueName, Worker>
}
