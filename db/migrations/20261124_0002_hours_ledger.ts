import { type Kysely, sql } from 'kysely'

// The hours ledger (学时记录): append-only entries, per person × year × category totals kept in
// the same transaction, and the yearly policies the answers were computed with.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('policies_pk', ['year', 'version'])
    .execute()

  await db.schema
    .createTable('hour_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('ce_year', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('public','professional')`))
    .addColumn('hours', sql`numeric(7,2)`, (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) =>
      c.notNull().check(sql`source_kind in ('online_course','seminar','base_training','external','adjustment','reversal')`),
    )
    .addColumn('source_ref', 'text')
    .addColumn('evidence', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('counted', 'boolean', (c) => c.notNull())
    .addColumn('not_counted_reason', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('reverses_id', 'bigint', (c) => c.unique().references('hour_entries.id'))
    .addColumn('reason', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('hour_entries_reason', sql`counted or not_counted_reason is not null`)
    .addCheckConstraint(
      'hour_entries_sign',
      sql`(source_kind = 'reversal') = (reverses_id is not null) and (hours >= 0 or source_kind = 'reversal')`,
    )
    .execute()
  await db.schema.createIndex('hour_entries_person_year_idx').on('hour_entries').columns(['person_id', 'ce_year']).execute()

  // Append-only at the database level too: no UPDATE, no DELETE, whatever the application does.
  await sql`
    create function hour_entries_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'hour_entries is append-only: write a reversing entry instead';
    end $$`.execute(db)
  await sql`create trigger hour_entries_no_update before update or delete on hour_entries
            for each row execute function hour_entries_append_only()`.execute(db)

  await db.schema
    .createTable('hour_totals')
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('ce_year', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('counted_hours', sql`numeric(9,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('recorded_hours', sql`numeric(9,2)`, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('hour_totals_pk', ['person_id', 'ce_year', 'category'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hour_totals').execute()
  await sql`drop trigger hour_entries_no_update on hour_entries`.execute(db)
  await sql`drop function hour_entries_append_only()`.execute(db)
  await db.schema.dropTable('hour_entries').execute()
  await db.schema.dropTable('policies').execute()
}
