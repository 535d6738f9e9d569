import { normalizeHours } from '#app/domain/shared/decimal.ts'
import type { CourseCategory, DB, LessonKind } from '#db/schema.ts'

import { type Quiz, SERIES_CODES, SLUG } from './content-sync.server.ts'
import type { CatalogQuery } from './courses.schema.ts'

/** The course catalog (课程目录) as learners browse it: published courses, their outlines and filters. */

export type CatalogItem = {
  id: string
  title: string
  category: CourseCategory
  series: string
  hours: string
  summary: string
  listedOn: string
  lessonCount: number
  videoCount: number
  minutes: number
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`)
}

/** Published courses matching the query (title or summary contains q, case-insensitively). */
export async function listCourses(db: DB, query: CatalogQuery): Promise<CatalogItem[]> {
  let qb = db
    .selectFrom('courses as c')
    .select(['c.id', 'c.title', 'c.category', 'c.series', 'c.hours', 'c.summary', 'c.listed_on', 'c.total_seconds'])
    .select((eb) => [
      eb.selectFrom('lessons as l').whereRef('l.course_id', '=', 'c.id').select(eb.fn.countAll<number>().as('n')).as('lesson_count'),
      eb
        .selectFrom('lessons as l')
        .whereRef('l.course_id', '=', 'c.id')
        .where('l.kind', '=', 'video')
        .select(eb.fn.countAll<number>().as('n'))
        .as('video_count'),
    ])
    .where('c.published', '=', true)
  const q = query.q?.trim()
  if (q) {
    const pattern = `%${escapeLike(q)}%`
    qb = qb.where((eb) => eb.or([eb('c.title', 'ilike', pattern), eb('c.summary', 'ilike', pattern)]))
  }
  if (query.category) qb = qb.where('c.category', '=', query.category)
  if (query.series) qb = qb.where('c.series', '=', query.series)
  if (query.minHours) qb = qb.where('c.hours', '>=', query.minHours)
  if (query.maxHours) qb = qb.where('c.hours', '<=', query.maxHours)
  const sort = query.sort ?? 'newest'
  if (sort === 'hours') qb = qb.orderBy('c.hours', 'desc')
  else if (sort === 'newest') qb = qb.orderBy('c.listed_on', 'desc')
  qb = qb.orderBy('c.title').orderBy('c.id')
  const rows = await qb.execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    category: r.category,
    series: r.series,
    hours: normalizeHours(r.hours),
    summary: r.summary,
    listedOn: r.listed_on,
    lessonCount: Number(r.lesson_count ?? 0),
    videoCount: Number(r.video_count ?? 0),
    minutes: Math.round(r.total_seconds / 60),
  }))
}

export type CourseDetail = CatalogItem & {
  lessons: { id: string; title: string; kind: LessonKind; seconds: number }[]
  quiz: { passMark: number; questionCount: number; retryMinutes: number }
}

/**
 * A course with its outline (no lesson bodies, no quiz answers), or null. Unpublished courses only
 * with `includeUnpublished` (learners already enrolled keep access).
 */
export async function getCourse(
  db: DB,
  id: string,
  opts: { includeUnpublished?: boolean } = {},
): Promise<(CourseDetail & { published: boolean }) | null> {
  if (!SLUG.test(id)) return null
  let q = db.selectFrom('courses').selectAll().where('id', '=', id)
  if (!opts.includeUnpublished) q = q.where('published', '=', true)
  const c = await q.executeTakeFirst()
  if (!c) return null
  const lessons = await db
    .selectFrom('lessons')
    .select(['id', 'title', 'kind', 'seconds'])
    .where('course_id', '=', id)
    .orderBy('position')
    .execute()
  const quiz = c.quiz as Quiz
  return {
    id: c.id,
    title: c.title,
    category: c.category,
    series: c.series,
    hours: normalizeHours(c.hours),
    summary: c.summary,
    listedOn: c.listed_on,
    lessonCount: lessons.length,
    videoCount: lessons.filter((l) => l.kind === 'video').length,
    minutes: Math.round(c.total_seconds / 60),
    lessons,
    quiz: { passMark: quiz.passMark, questionCount: quiz.questions.length, retryMinutes: quiz.retryMinutes },
    published: c.published,
  }
}

/** The title series that have at least one published course, for the catalog's filter. */
export async function catalogSeries(db: DB): Promise<string[]> {
  const rows = await db
    .selectFrom('courses')
    .select('series')
    .distinct()
    .where('published', '=', true)
    .where('series', '<>', 'all')
    .orderBy('series')
    .execute()
  const order = new Map(SERIES_CODES.map((c, i) => [c, i]))
  return rows.map((r) => r.series).sort((a, b) => (order.get(a) ?? 99) - (order.get(b) ?? 99))
}
