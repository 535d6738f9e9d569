import { type Kysely, sql } from 'kysely'

// Online study: enrolments, verified progress per lesson, and each person's single study slot.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('enrollments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id'))
    .addColumn('enrolled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addColumn('ledger_entry_id', 'bigint', (c) => c.unique().references('hour_entries.id'))
    .addUniqueConstraint('enrollments_person_course', ['person_id', 'course_id'])
    .execute()

  await db.schema
    .createTable('lesson_progress')
    .addColumn('enrollment_id', 'bigint', (c) => c.notNull().references('enrollments.id'))
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    // Milliseconds, so verified time is exact integers whatever the heartbeat rhythm.
    .addColumn('verified_ms', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`verified_ms >= 0`),
    )
    .addColumn('furthest_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('position_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_accepted_at', 'timestamptz')
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('done_at', 'timestamptz')
    .addPrimaryKeyConstraint('lesson_progress_pk', ['enrollment_id', 'lesson_id'])
    .execute()

  // One lesson per person accrues time at a time: the slot names the page (player) that holds it.
  await db.schema
    .createTable('study_slots')
    .addColumn('person_id', 'bigint', (c) => c.primaryKey().references('people.id'))
    .addColumn('player_id', 'text', (c) => c.notNull())
    .addColumn('enrollment_id', 'bigint', (c) => c.notNull().references('enrollments.id'))
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('study_slots').execute()
  await db.schema.dropTable('lesson_progress').execute()
  await db.schema.dropTable('enrollments').execute()
}
