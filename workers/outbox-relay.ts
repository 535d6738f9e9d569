import type { Queue } from 'bullmq'
import type { Kysely } from 'kysely'

import type { Database } from '#db/schema.ts'

import { isJobName, jobIdFor, JOBS, type QueueName } from './jobs/contract.ts'

/**
 * Moves committed outbox rows to BullMQ, each to its job's queue (looked up by the row's job name,
 * so a row written before a job moved queues goes to the new one). Rows are locked (SKIP LOCKED)
 * so several workers can relay side by side; the BullMQ jobId is derived from the row (see
 * `jobIdFor`), so a row sent twice (crash between add and commit) is still one job.
 */
export async function relayOutbox(db: Kysely<Database>, queues: Record<QueueName, Queue>, batch = 100): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('outbox')
      .select(['id', 'job_name', 'payload', 'created_at'])
      .where('dispatched_at', 'is', null)
      .orderBy('id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute()
    for (const row of rows) {
      if (!isJobName(row.job_name)) {
        await trx
          .updateTable('outbox')
          .set({ dispatched_at: new Date(), last_error: 'unknown job name' })
          .where('id', '=', row.id)
          .execute()
        continue
      }
      const def = JOBS[row.job_name]
      await queues[def.queue].add(row.job_name, row.payload, { ...def.options, jobId: jobIdFor(row.job_name, row.payload, row.created_at) })
    }
    if (rows.length) {
      await trx
        .updateTable('outbox')
        .set((eb) => ({ dispatched_at: new Date(), attempts: eb('attempts', '+', 1) }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .where('dispatched_at', 'is', null)
        .execute()
    }
    return rows.length
  })
}
