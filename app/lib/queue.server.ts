import type { Kysely } from 'kysely'

import type { Database } from '#db/schema.ts'
// The contract only (names, schemas, queues): never the processors, which load domain code and pdfkit.
import { type JobName, type JobPayload, JOBS } from '#workers/jobs/contract.ts'

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
