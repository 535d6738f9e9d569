import { normalizeHours } from '#app/domain/shared/decimal.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import type { DB } from '#db/schema.ts'

import type { Quiz } from './content-sync.server.ts'
import { retryAt } from './quiz.ts'

/**
 * A learner's study as pages show it: enrolment, progress per course and lesson, what the lesson
 * page needs, and the learner's list of courses. Verified time itself is written by the heartbeat
 * (heartbeats.server.ts).
 */

export async function enroll(
  db: DB,
  personId: number,
  courseId: string,
): Promise<Result<{ enrollmentId: number; created: boolean }, 'not_found'>> {
  const course = await db.selectFrom('courses').select('id').where('id', '=', courseId).where('published', '=', true).executeTakeFirst()
  if (!course) return err('not_found')
  const inserted = await db
    .insertInto('enrollments')
    .values({ person_id: personId, course_id: courseId })
    .onConflict((oc) => oc.columns(['person_id', 'course_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return ok({ enrollmentId: inserted.id, created: true })
  const existing = await db
    .selectFrom('enrollments')
    .select('id')
    .where('person_id', '=', personId)
    .where('course_id', '=', courseId)
    .executeTakeFirstOrThrow()
  return ok({ enrollmentId: existing.id, created: false })
}

export type LessonProgressView = {
  id: string
  title: string
  kind: 'text' | 'video'
  requiredSeconds: number
  verifiedSeconds: number
  /** Video: furthest verified position (s), where the player resumes. */
  furthestSeconds: number
  done: boolean
}

export type QuizState =
  | { state: 'locked' }
  | { state: 'open' }
  | { state: 'cooling_down'; retryAt: string; lastScore: number }
  | { state: 'passed'; score: number }

export type CourseProgress = {
  courseTitle: string
  enrollmentId: number
  enrolledAt: string
  completedAt: string | null
  /** Hours credited on completion (the ledger entry), or null. */
  creditedHours: string | null
  ledgerEntryId: number | null
  lessons: LessonProgressView[]
  lessonsDone: number
  verifiedSeconds: number
  requiredSeconds: number
  quiz: QuizState
  attempts: number
}

/** A person's progress in a course, or null when not enrolled. */
export async function courseProgress(db: DB, personId: number, courseId: string): Promise<CourseProgress | null> {
  const enrollment = await db
    .selectFrom('enrollments as e')
    .leftJoin('hour_entries as h', 'h.id', 'e.ledger_entry_id')
    .select(['e.id', 'e.enrolled_at', 'e.completed_at', 'e.ledger_entry_id', 'h.hours'])
    .where('e.person_id', '=', personId)
    .where('e.course_id', '=', courseId)
    .executeTakeFirst()
  if (!enrollment) return null
  const [lessons, attempts, course] = await Promise.all([
    db
      .selectFrom('lessons as l')
      .leftJoin('lesson_progress as p', (j) => j.onRef('p.lesson_id', '=', 'l.id').on('p.enrollment_id', '=', enrollment.id))
      .select(['l.id', 'l.title', 'l.kind', 'l.seconds', 'p.verified_ms', 'p.furthest_ms', 'p.done_at'])
      .where('l.course_id', '=', courseId)
      .orderBy('l.position')
      .execute(),
    db
      .selectFrom('quiz_attempts')
      .select(['submitted_at', 'passed', 'score'])
      .where('enrollment_id', '=', enrollment.id)
      .where('submitted_at', 'is not', null)
      .orderBy('submitted_at', 'desc')
      .execute(),
    db.selectFrom('courses').select(['title', 'quiz']).where('id', '=', courseId).executeTakeFirstOrThrow(),
  ])
  const views: LessonProgressView[] = lessons.map((l) => ({
    id: l.id,
    title: l.title,
    kind: l.kind,
    requiredSeconds: l.seconds,
    verifiedSeconds: Math.floor(Number(l.verified_ms ?? 0) / 1000),
    furthestSeconds: Number(l.furthest_ms ?? 0) / 1000,
    done: l.done_at !== null,
  }))
  const lessonsDone = views.filter((l) => l.done).length
  const passed = attempts.find((a) => a.passed)
  const last = attempts[0]
  const wait = last?.submitted_at ? retryAt(last.submitted_at, (course.quiz as Quiz).retryMinutes) : null
  let quiz: QuizState
  if (passed) quiz = { state: 'passed', score: passed.score ?? 0 }
  else if (lessonsDone < views.length) quiz = { state: 'locked' }
  else if (wait && wait.getTime() > Date.now()) quiz = { state: 'cooling_down', retryAt: wait.toISOString(), lastScore: last?.score ?? 0 }
  else quiz = { state: 'open' }
  return {
    courseTitle: course.title,
    enrollmentId: enrollment.id,
    enrolledAt: new Date(enrollment.enrolled_at).toISOString(),
    completedAt: enrollment.completed_at ? new Date(enrollment.completed_at).toISOString() : null,
    creditedHours: enrollment.hours === null ? null : normalizeHours(enrollment.hours),
    ledgerEntryId: enrollment.ledger_entry_id,
    lessons: views,
    lessonsDone,
    verifiedSeconds: views.reduce((s, l) => s + l.verifiedSeconds, 0),
    requiredSeconds: views.reduce((s, l) => s + l.requiredSeconds, 0),
    quiz,
    attempts: attempts.length,
  }
}

export type PlayerLesson = {
  courseId: string
  courseTitle: string
  lesson: { id: string; title: string; kind: 'text' | 'video'; requiredSeconds: number; video: string | null; body: string | null }
  progress: LessonProgressView
  position: number
  count: number
  previousId: string | null
  nextId: string | null
}

/** What the lesson page needs, for an enrolled person; null when not enrolled or no such lesson. */
export async function lessonForPlayer(db: DB, personId: number, courseId: string, lessonId: string): Promise<PlayerLesson | null> {
  const progress = await courseProgress(db, personId, courseId)
  if (!progress) return null
  const index = progress.lessons.findIndex((l) => l.id === lessonId)
  if (index < 0) return null
  const lesson = await db
    .selectFrom('lessons')
    .select(['id', 'title', 'kind', 'seconds', 'video', 'body'])
    .where('course_id', '=', courseId)
    .where('id', '=', lessonId)
    .executeTakeFirstOrThrow()
  return {
    courseId,
    courseTitle: progress.courseTitle,
    lesson: {
      id: lesson.id,
      title: lesson.title,
      kind: lesson.kind,
      requiredSeconds: lesson.seconds,
      video: lesson.video,
      body: lesson.body,
    },
    progress: progress.lessons[index]!,
    position: index + 1,
    count: progress.lessons.length,
    previousId: progress.lessons[index - 1]?.id ?? null,
    nextId: progress.lessons[index + 1]?.id ?? null,
  }
}

export type MyCourse = {
  courseId: string
  title: string
  hours: string
  lessons: number
  lessonsDone: number
  completedAt: string | null
  nextLessonId: string | null
}

/** The courses a person is enrolled in, unfinished first, with progress and where to go on. */
export async function myCourses(db: DB, personId: number): Promise<MyCourse[]> {
  const rows = await db
    .selectFrom('enrollments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .innerJoin('lessons as l', 'l.course_id', 'c.id')
    .leftJoin('lesson_progress as p', (j) => j.onRef('p.enrollment_id', '=', 'e.id').onRef('p.lesson_id', '=', 'l.id'))
    .select(['c.id', 'c.title', 'c.hours', 'e.completed_at', 'e.enrolled_at', 'l.id as lesson_id', 'l.position', 'p.done_at'])
    .where('e.person_id', '=', personId)
    .orderBy('e.enrolled_at', 'desc')
    .orderBy('l.position')
    .execute()
  const byCourse = new Map<string, MyCourse>()
  for (const r of rows) {
    const c = byCourse.get(r.id) ?? {
      courseId: r.id,
      title: r.title,
      hours: normalizeHours(r.hours),
      lessons: 0,
      lessonsDone: 0,
      completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
      nextLessonId: null,
    }
    c.lessons++
    if (r.done_at) c.lessonsDone++
    else c.nextLessonId ??= r.lesson_id
    byCourse.set(r.id, c)
  }
  const list = [...byCourse.values()]
  return [...list.filter((c) => !c.completedAt), ...list.filter((c) => c.completedAt)]
}
