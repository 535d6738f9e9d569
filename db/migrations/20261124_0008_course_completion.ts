import { type Kysely, sql } from 'kysely'

// Course completion: quiz attempts, and a version on each person's study slot so a heartbeat can
// be applied with one conditional write instead of a locking transaction (ADR 0009).
export async function up(db: Kysely<any>): Promise<void> {
  // Bumped by every accepted heartbeat; a write whose expected version no longer matches is retried.
  await db.schema
    .alterTable('study_slots')
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(1))
    .execute()

  // One row per quiz sitting: the shuffled order it was shown in, then the answers and the grade.
  await db.schema
    .createTable('quiz_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'bigint', (c) => c.notNull().references('enrollments.id'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // [{ id: question id, options: [original option index, …] }] in the order shown.
    .addColumn('layout', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    // { questionId: original option index }
    .addColumn('answers', 'jsonb')
    .addColumn('correct', 'integer')
    .addColumn('total', 'integer', (c) => c.notNull().check(sql`total > 0`))
    .addColumn('score', 'integer', (c) => c.check(sql`score between 0 and 100`))
    .addColumn('pass_mark', 'integer', (c) => c.notNull())
    .addColumn('passed', 'boolean')
    .addCheckConstraint('quiz_attempts_graded', sql`(submitted_at is null) = (passed is null) and (submitted_at is null) = (score is null)`)
    .execute()
  await db.schema.createIndex('quiz_attempts_enrollment_idx').on('quiz_attempts').columns(['enrollment_id', 'started_at']).execute()
  // At most one open (not yet submitted) sitting per enrolment: reloading the page shows the same one.
  await sql`create unique index quiz_attempts_open_idx on quiz_attempts (enrollment_id) where submitted_at is null`.execute(db)
  await db.schema.createIndex('enrollments_course_idx').on('enrollments').column('course_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrollments_course_idx').execute()
  await db.schema.dropTable('quiz_attempts').execute()
  await db.schema.alterTable('study_slots').dropColumn('version').execute()
}
