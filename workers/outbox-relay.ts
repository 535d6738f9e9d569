import type { Queue } from 'bullmq'
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { isJobName, JOBS, type QueueName } from './jobs.ts'

/**
 * Moves committed outbox rows to BullMQ. Rows are locked (SKIP LOCKED) so several workers can
 * relay side by side; the BullMQ jobId is derived from the row, so a row sent twice (crash
 * between add and commit) is still one job.
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
        await trx.updateTable('outbox').set({ dispatched_at: new Date(), last_error: 'unknown job name' }).where('id', '=', row.id).execute()
        continue
      }
      const def = JOBS[row.job_name]
      // Row id plus its creation time: stable for the row (a re-sent row is one job), yet a
      // recreated database whose ids start again at 1 never collides with jobs Redis still keeps.
      await queues[def.queue].add(row.job_name, row.payload, { ...def.options, jobId: `outbox-${row.id}-${row.created_at.getTime()}` })
    }
    if (rows.length) {
      await trx
        .updateTable('outbox')
        .set((eb) => ({ dispatched_at: new Date(), attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', rows.map((r) => r.id))
        .where('dispatched_at', 'is', null)
        .execute()
    }
    return rows.length
  })
}
