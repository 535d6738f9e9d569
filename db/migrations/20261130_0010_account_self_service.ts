import { type Kysely, sql } from 'kysely'

// Account self-service and login hardening (issue 9, items 8, 12, 18):
// - the per-account login lock lives on the account row, so it survives a Redis restart and
//   needs no Redis (ADR 0018);
// - `must_change_password` after an admin set a temporary password;
// - sessions get a last-seen time that slides (the column existed; now it is kept up to date);
// - one-time password-reset codes, hashed at rest;
// - title changes a learner asks for, verified by HR of their region before the credit check
//   uses them (people.title_* stay the verified values).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_window_start', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('password_changed_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('password_reset_codes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    // HMAC-SHA-256 (the data key) of "<account id>:<code>": six digits are too few for a plain hash.
    .addColumn('code_hash', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('password_reset_codes_account_idx').on('password_reset_codes').columns(['account_id', 'created_at']).execute()

  await db.schema
    .createTable('title_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('title_series', 'text', (c) => c.notNull())
    .addColumn('title_level', 'text', (c) => c.notNull())
    .addColumn('title_year', 'integer')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','approved','rejected','withdrawn')`),
    )
    .addColumn('decided_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('title_changes_decision', sql`(status = 'pending') = (decided_at is null)`)
    .execute()
  // At most one pending change per person: a new request replaces (withdraws) the old one.
  await sql`create unique index title_changes_one_pending on title_changes (person_id) where status = 'pending'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('title_changes').execute()
  await db.schema.dropTable('password_reset_codes').execute()
  await db.schema
    .alterTable('accounts')
    .dropColumn('failed_logins')
    .dropColumn('failed_window_start')
    .dropColumn('locked_until')
    .dropColumn('must_change_password')
    .dropColumn('password_changed_at')
    .execute()
}
