import { sql } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import type { CourseCategory, DB } from '#db/schema.ts'

/**
 * What admins do with courses: publish or unpublish (hidden from the catalog and closed to new
 * enrolments; learners already enrolled keep studying and keep their hours), and per-course
 * figures. Course content itself comes from content/courses (courses.server.ts).
 */

export type CourseFigures = {
  id: string
  title: string
  category: CourseCategory
  series: string
  hours: string
  published: boolean
  enrolled: number
  completed: number
  /** Mean verified study time per enrolled learner, seconds. */
  averageVerifiedSeconds: number
  requiredSeconds: number
  quizSittings: number
  quizPassed: number
  /** Passed sittings ÷ submitted sittings, 0–100, or null with none. */
  quizPassRate: number | null
}

export async function courseFigures(db: DB): Promise<CourseFigures[]> {
  const rows = await db
    .selectFrom('courses as c')
    .select(['c.id', 'c.title', 'c.category', 'c.series', 'c.hours', 'c.published', 'c.total_seconds'])
    .select([
      sql<string>`(select count(*) from enrollments e where e.course_id = c.id)`.as('enrolled'),
      sql<string>`(select count(*) from enrollments e where e.course_id = c.id and e.completed_at is not null)`.as('completed'),
      sql<string>`(select coalesce(sum(least(p.verified_ms, l.seconds * 1000)), 0)
                     from enrollments e join lesson_progress p on p.enrollment_id = e.id
                     join lessons l on l.course_id = e.course_id and l.id = p.lesson_id
                    where e.course_id = c.id)`.as('verified_ms'),
      sql<string>`(select count(*) from quiz_attempts a join enrollments e on e.id = a.enrollment_id where e.course_id = c.id and a.submitted_at is not null)`.as(
        'sittings',
      ),
      sql<string>`(select count(*) from quiz_attempts a join enrollments e on e.id = a.enrollment_id where e.course_id = c.id and a.passed)`.as(
        'passed',
      ),
    ])
    .orderBy('c.published', 'desc')
    .orderBy('c.category', 'desc')
    .orderBy('c.title')
    .execute()
  return rows.map((r) => {
    const enrolled = Number(r.enrolled)
    const sittings = Number(r.sittings)
    const passed = Number(r.passed)
    return {
      id: r.id,
      title: r.title,
      category: r.category,
      series: r.series,
      hours: normalizeHours(r.hours),
      published: r.published,
      enrolled,
      completed: Number(r.completed),
      averageVerifiedSeconds: enrolled ? Math.round(Number(r.verified_ms) / 1000 / enrolled) : 0,
      requiredSeconds: r.total_seconds,
      quizSittings: sittings,
      quizPassed: passed,
      quizPassRate: sittings ? Math.round((passed * 1000) / sittings) / 10 : null,
    }
  })
}

/** Publishes or unpublishes a course, audited. Returns false if the course does not exist. */
export async function setPublished(trx: DB, courseId: string, published: boolean, actorAccountId: number): Promise<boolean> {
  const r = await trx
    .updateTable('courses')
    .set({ published })
    .where('id', '=', courseId)
    .where('published', '=', !published)
    .returning('id')
    .executeTakeFirst()
  if (!r) return (await trx.selectFrom('courses').select('id').where('id', '=', courseId).executeTakeFirst()) !== undefined
  await audit(trx, { actorAccountId, action: published ? 'course.publish' : 'course.unpublish', targetType: 'course', targetId: courseId })
  return true
}
