import { type Kysely, sql } from 'kysely'

// Hours certificates (学时证明): a snapshot of the facts a certificate states, the ledger high-water
// mark it was issued at (to tell when later entries superseded it), and the rendered PDF itself.
// The PDF lives in PostgreSQL, not on a disk, because web and worker may run on different machines.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('certificates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('ce_year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending','ready','failed')`),
    )
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addColumn('ledger_high_water', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('pdf', 'bytea')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ready_at', 'timestamptz')
    .addCheckConstraint('certificates_ready_has_pdf', sql`status <> 'ready' or pdf is not null`)
    .execute()
  await db.schema.createIndex('certificates_person_year_idx').on('certificates').columns(['person_id', 'ce_year']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('certificates').execute()
}
