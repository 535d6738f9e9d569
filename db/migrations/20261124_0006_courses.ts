import { type Kysely, sql } from 'kysely'

// Online courses (网络课程), authored in content/courses/*.md and copied here at start-up by
// app/domain/courses.server.ts. Content columns are overwritten from the files; `published` is
// the admins' switch and is never touched by a sync. Lessons are upserted by (course_id, id) so
// that progress rows of later migrations can point at them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('courses')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`id ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('public','professional')`))
    // A title-series code from content/reference/titles.json, or 'all' for general subjects.
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('hours', sql`numeric(5,2)`, (c) => c.notNull().check(sql`hours > 0`))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('listed_on', 'date', (c) => c.notNull())
    .addColumn('total_seconds', 'integer', (c) => c.notNull().check(sql`total_seconds > 0`))
    .addColumn('quiz', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('courses_series', sql`(category = 'public') = (series = 'all')`)
    .execute()
  await db.schema.createIndex('courses_listing_idx').on('courses').columns(['published', 'listed_on']).execute()

  await db.schema
    .createTable('lessons')
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('text','video')`))
    // Required study time: the verified seconds a learner must reach.
    .addColumn('seconds', 'integer', (c) => c.notNull().check(sql`seconds > 0`))
    .addColumn('video', 'text')
    .addColumn('body', 'text')
    .addPrimaryKeyConstraint('lessons_pk', ['course_id', 'id'])
    .addCheckConstraint('lessons_video', sql`(kind = 'video') = (video is not null)`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lessons').execute()
  await db.schema.dropTable('courses').execute()
}
