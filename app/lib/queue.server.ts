import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { JOBS, type JobName, type JobPayload } from '#workers/jobs.ts'

/**
 * Producers write jobs into the outbox table inside the caller's transaction; the worker's
 * relay moves them to BullMQ. A Redis outage therefore delays side work but never loses it, and
 * a rolled-back transaction never sends anything.
 */
export async function enqueue<N extends JobName>(db: Kysely<Database>, name: N, payload: JobPayload<N>): Promise<void> {
  const data = JOBS[name].schema.parse(payload)
  await db
    .insertInto('outbox')
    .values({ job_name: name, payload: JSON.stringify(data) })
    .execute()
}
