import { type Kysely, sql } from 'kysely'

// Issue 9, item 3: the outbox records what happened to the job it handed over (ADR 0016), so the
// relay can send again what was lost (a Redis restart, a job failed after stalling) until it
// completes, and give up, with the error, on what can never succeed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    // A relay that claimed the row (short transaction, committed before it talks to Redis) holds
    // it until then; a relay that dies after claiming lets it go when the lease runs out.
    .addColumn('claimed_until', 'timestamptz')
    // When the job must have completed; after that the reconciler looks at it again.
    .addColumn('redispatch_after', 'timestamptz')
    .addColumn('job_id', 'text')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .execute()
  // Rows dispatched before this migration were assumed done: the old relay never looked again.
  await sql`update outbox set completed_at = dispatched_at where dispatched_at is not null and last_error is null`.execute(db)
  await sql`update outbox set failed_at = dispatched_at where dispatched_at is not null and last_error is not null`.execute(db)
  await sql`create index outbox_open_idx on outbox (id) where completed_at is null and failed_at is null`.execute(db)
  await sql`create index outbox_job_id_idx on outbox (job_id) where job_id is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_job_id_idx`.execute(db)
  await sql`drop index if exists outbox_open_idx`.execute(db)
  await db.schema
    .alterTable('outbox')
    .dropColumn('failed_at')
    .dropColumn('completed_at')
    .dropColumn('job_id')
    .dropColumn('redispatch_after')
    .dropColumn('claimed_until')
    .execute()
}
