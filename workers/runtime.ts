import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'

import type { DB } from '#db/schema.ts'

import { QUEUE_NAMES, type QueueName, QUEUES } from './jobs/contract.ts'
import { processJob } from './jobs/index.ts'
import { markJobCompleted, markJobFailed } from './outbox-relay.ts'

/** One producer handle per queue (the relay adds to them); they may share one connection. */
export function openQueues(connection: Redis, prefix: string): Record<QueueName, Queue> {
  return Object.fromEntries(QUEUE_NAMES.map((q) => [q, new Queue(q, { connection, prefix })])) as Record<QueueName, Queue>
}

/**
 * Runs one job and records its outcome on its outbox row, before BullMQ records it: a job BullMQ
 * keeps as completed is therefore completed in PostgreSQL too. If the record cannot be written
 * the job fails and is retried (the processors are idempotent). A permanent failure (an
 * `UnrecoverableError`, or the last attempt) marks the row failed, so the relay stops sending it.
 */
export async function runJob(db: DB, job: Job): Promise<unknown> {
  try {
    const result = await processJob(db, job.name, job.data)
    if (job.id) await markJobCompleted(db, job.id)
    return result
  } catch (e) {
    const final = e instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
    if (final && job.id) await markJobFailed(db, job.id, e instanceof Error ? e.message : String(e)).catch(() => undefined)
    throw e
  }
}

/**
 * One BullMQ Worker per queue, each with its queue's concurrency. A Worker blocks on its
 * connection, so each gets its own (`connect()` must give a new one, `maxRetriesPerRequest: null`).
 * A job whose worker died is taken up again within about `lockDuration` + `stalledInterval`
 * (~25 s instead of BullMQ's ~60 s); a render holds the event loop far less than the lock.
 */
export function startWorkers(db: DB, opts: { connect: () => Redis; prefix: string }): Record<QueueName, Worker> {
  return Object.fromEntries(
    QUEUE_NAMES.map((q) => [
      q,
      new Worker(q, (job) => runJob(db, job), {
        connection: opts.connect(),
        prefix: opts.prefix,
        concurrency: QUEUES[q].concurrency,
        lockDuration: 15_000,
        stalledInterval: 10_000,
      }),
    ]),
  ) as Record<QueueName, Worker>
}
