import { type Kysely, sql } from 'kysely'

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

/**
 * How long a job of this kind may take from dispatch to completion before the relay looks at it
 * again (ADR 0016). A domain that shows a job's progress uses it to tell "still working" from "stuck".
 */
export function jobDeadlineMs(name: JobName): number {
  return JOBS[name].redispatchAfterMs
}

/**
 * Whether a job of this kind whose payload contains `match` was enqueued after `since` and not
 * given up: lets a domain ask for a job again only when the last one is overdue.
 */
export async function hasRecentJob<N extends JobName>(
  db: Kysely<Database>,
  name: N,
  match: Partial<JobPayload<N>>,
  since: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('outbox')
    .select('id')
    .where('job_name', '=', name)
    .where(sql<boolean>`payload @> ${JSON.stringify(match)}::jsonb`)
    .where('created_at', '>', since)
    .where('failed_at', 'is', null)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
