import { type Kysely, sql } from 'kysely'

// External hours (平台外学习): a learner reports an activity done elsewhere with an evidence file;
// HR of the person's region approves (which writes the ledger entry) or rejects with a reason.
// Evidence files live in PostgreSQL, the record of truth: web processes keep no files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('external_claims')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('ce_year', 'integer', (c) => c.notNull())
    // A key of the policy's conversion table (policy.conversion.external) for ce_year.
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('public','professional')`))
    .addColumn('units', sql`numeric(7,2)`, (c) => c.notNull().check(sql`units > 0`))
    // Computed by the server from the conversion table (min(units × hoursPerUnit, maxHours)).
    .addColumn('claimed_hours', sql`numeric(7,2)`, (c) => c.notNull().check(sql`claimed_hours > 0`))
    .addColumn('policy_version', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','approved','rejected')`),
    )
    .addColumn('decided_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('ledger_entry_id', 'bigint', (c) => c.unique().references('hour_entries.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'external_claims_decision',
      sql`(status = 'pending' and decided_at is null and ledger_entry_id is null)
          or (status = 'approved' and decided_at is not null and ledger_entry_id is not null)
          or (status = 'rejected' and decided_at is not null and decision_reason is not null and ledger_entry_id is null)`,
    )
    .execute()
  await db.schema.createIndex('external_claims_person_idx').on('external_claims').columns(['person_id', 'created_at']).execute()
  await sql`create index external_claims_pending_idx on external_claims (created_at) where status = 'pending'`.execute(db)

  await db.schema
    .createTable('evidence_files')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('claim_id', 'bigint', (c) => c.notNull().references('external_claims.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('application/pdf','image/png','image/jpeg')`))
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('evidence_files_size', sql`size = octet_length(bytes)`)
    .execute()
  await db.schema.createIndex('evidence_files_claim_idx').on('evidence_files').column('claim_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_files').execute()
  await db.schema.dropTable('external_claims').execute()
}
