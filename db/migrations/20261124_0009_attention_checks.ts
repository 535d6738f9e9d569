import { type Kysely, sql } from 'kysely'

// Attention checks in long lessons (防挂机, ADR 0009): where the next one stops the count, and
// whether one is waiting for the learner.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('lesson_progress')
    .addColumn('check_at_ms', 'bigint')
    .addColumn('check_pending', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await sql`comment on column lesson_progress.check_at_ms is 'verified ms at which the next attention check stops the count'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lesson_progress').dropColumn('check_pending').dropColumn('check_at_ms').execute()
}
