import { sql } from 'kysely'

import { credit } from '#app/domain/hours/ledger.server.ts'
import { normalizeHours } from '#app/domain/shared/decimal.ts'
import type { DB, QuizLayout } from '#db/schema.ts'

import type { Quiz } from './content-sync.server.ts'
import { type Grade, grade, makeLayout, readAnswers, retryAt } from './quiz.ts'

/**
 * The quiz on the server, and course completion (结业). A sitting is opened once every lesson is
 * done and the retry wait after a failed sitting is over; reloading shows the same open sitting.
 * Submitting grades it once: a second submit of the same sitting (double click, retry after a
 * network error) returns the first grade. Passing completes the course in the same transaction:
 * one ledger entry (source online_course) in the CE year of completion, keyed by the enrolment,
 * so no retry can credit it twice.
 */

export type QuizSitting = {
  attemptId: number
  questions: { id: string; text: string; options: { value: number; text: string }[] }[]
  passMark: number
}

export type OpenQuizResult =
  | { kind: 'open'; sitting: QuizSitting }
  | { kind: 'not_enrolled' }
  | { kind: 'locked'; lessonsLeft: number }
  | { kind: 'cooling_down'; retryAt: Date }
  | { kind: 'passed' }

type EnrollmentRow = {
  id: number
  completed_at: Date | null
  quiz: Quiz
  category: 'public' | 'professional'
  hours: string
  title: string
}

async function lockEnrollment(trx: DB, personId: number, courseId: string): Promise<EnrollmentRow | undefined> {
  return trx
    .selectFrom('enrollments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .select(['e.id', 'e.completed_at', 'c.quiz', 'c.category', 'c.hours', 'c.title'])
    .where('e.person_id', '=', personId)
    .where('e.course_id', '=', courseId)
    .forUpdate('e')
    .executeTakeFirst() as Promise<EnrollmentRow | undefined>
}

async function lessonTotals(trx: DB, enrollmentId: number, courseId: string) {
  const r = await trx
    .selectFrom('lessons as l')
    .leftJoin('lesson_progress as p', (j) => j.onRef('p.lesson_id', '=', 'l.id').on('p.enrollment_id', '=', enrollmentId))
    .select((eb) => [
      eb.fn.countAll<string>().as('lessons'),
      eb.fn.count<string>('p.done_at').as('done'),
      sql<string>`coalesce(sum(least(p.verified_ms, l.seconds * 1000)), 0)`.as('verified_ms'),
      sql<string>`sum(l.seconds)`.as('required_seconds'),
    ])
    .where('l.course_id', '=', courseId)
    .executeTakeFirstOrThrow()
  return {
    lessonsLeft: Number(r.lessons) - Number(r.done),
    verifiedSeconds: Math.floor(Number(r.verified_ms) / 1000),
    requiredSeconds: Number(r.required_seconds),
  }
}

function sittingOf(attemptId: number, layout: QuizLayout, quiz: Quiz): QuizSitting {
  const byId = new Map(quiz.questions.map((q) => [q.id, q]))
  return {
    attemptId,
    passMark: quiz.passMark,
    questions: layout.flatMap((l) => {
      const q = byId.get(l.id)
      return q
        ? [
            {
              id: q.id,
              text: q.text,
              options: l.options.filter((i) => i < q.options.length).map((i) => ({ value: i, text: q.options[i]! })),
            },
          ]
        : []
    }),
  }
}

/** Opens (or re-shows) the person's quiz sitting for a course. */
export async function openQuiz(db: DB, personId: number, courseId: string, opts: { now?: Date } = {}): Promise<OpenQuizResult> {
  return db.transaction().execute(async (trx) => {
    const e = await lockEnrollment(trx, personId, courseId)
    if (!e) return { kind: 'not_enrolled' }
    if (e.completed_at) return { kind: 'passed' }
    const { lessonsLeft } = await lessonTotals(trx, e.id, courseId)
    if (lessonsLeft > 0) return { kind: 'locked', lessonsLeft }
    const open = await trx
      .selectFrom('quiz_attempts')
      .select(['id', 'layout'])
      .where('enrollment_id', '=', e.id)
      .where('submitted_at', 'is', null)
      .executeTakeFirst()
    if (open) return { kind: 'open', sitting: sittingOf(open.id, open.layout, e.quiz) }
    const last = await trx
      .selectFrom('quiz_attempts')
      .select(['submitted_at', 'passed'])
      .where('enrollment_id', '=', e.id)
      .orderBy('submitted_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (last?.passed) return { kind: 'passed' }
    const now = opts.now ?? new Date()
    const wait = last?.submitted_at ? retryAt(last.submitted_at, e.quiz.retryMinutes) : null
    if (wait && wait > now) return { kind: 'cooling_down', retryAt: wait }
    const layout = makeLayout(e.quiz)
    const created = await trx
      .insertInto('quiz_attempts')
      .values({ enrollment_id: e.id, layout: JSON.stringify(layout), total: layout.length, pass_mark: e.quiz.passMark, started_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { kind: 'open', sitting: sittingOf(created.id, layout, e.quiz) }
  })
}

export type SubmitResult =
  | {
      kind: 'graded'
      grade: Grade
      passMark: number
      completed: null | { hours: string; ceYear: number; ledgerEntryId: number }
      retryAt: Date | null
      repeated: boolean
    }
  | { kind: 'incomplete'; missing: string[] }
  | { kind: 'not_found' }
  | { kind: 'locked'; lessonsLeft: number }

/** Grades a sitting once; passing completes the course and credits its hours (see the module comment). */
export async function submitQuiz(
  db: DB,
  personId: number,
  courseId: string,
  attemptId: number,
  rawAnswers: Record<string, unknown>,
  opts: { now?: Date } = {},
): Promise<SubmitResult> {
  return db.transaction().execute(async (trx) => {
    // The enrolment row lock serialises every submit (and opening) for this person and course.
    const e = await lockEnrollment(trx, personId, courseId)
    if (!e) return { kind: 'not_found' }
    const attempt = await trx
      .selectFrom('quiz_attempts')
      .selectAll()
      .where('id', '=', attemptId)
      .where('enrollment_id', '=', e.id)
      .executeTakeFirst()
    if (!attempt) return { kind: 'not_found' }
    if (attempt.submitted_at) {
      const entry = e.completed_at ? await completionOf(trx, e.id) : null
      return {
        kind: 'graded',
        grade: { correct: attempt.correct ?? 0, total: attempt.total, score: attempt.score ?? 0, passed: attempt.passed === true },
        passMark: attempt.pass_mark,
        completed: attempt.passed ? entry : null,
        retryAt: attempt.passed ? null : retryAt(attempt.submitted_at, e.quiz.retryMinutes),
        repeated: true,
      }
    }
    const totals = await lessonTotals(trx, e.id, courseId)
    if (totals.lessonsLeft > 0) return { kind: 'locked', lessonsLeft: totals.lessonsLeft }
    const read = readAnswers(attempt.layout, rawAnswers)
    if (!read.ok) return { kind: 'incomplete', missing: read.problem.missing }

    const now = opts.now ?? new Date()
    const g = grade(e.quiz, read.answers)
    await trx
      .updateTable('quiz_attempts')
      .set({ submitted_at: now, answers: JSON.stringify(read.answers), correct: g.correct, score: g.score, passed: g.passed })
      .where('id', '=', attempt.id)
      .execute()
    if (!g.passed)
      return {
        kind: 'graded',
        grade: g,
        passMark: attempt.pass_mark,
        completed: null,
        retryAt: retryAt(now, e.quiz.retryMinutes),
        repeated: false,
      }

    const { entry } = await credit(trx, {
      personId,
      category: e.category,
      hours: e.hours,
      sourceKind: 'online_course',
      sourceRef: courseId,
      evidence: {
        title: e.title,
        courseId,
        verifiedSeconds: totals.verifiedSeconds,
        requiredSeconds: totals.requiredSeconds,
        quizScore: g.score,
        passMark: attempt.pass_mark,
        quizAttemptId: attempt.id,
      },
      idempotencyKey: `online-course:enrollment:${e.id}`,
      occurredAt: now,
    })
    await trx
      .updateTable('enrollments')
      .set({ completed_at: now, ledger_entry_id: entry.id })
      .where('id', '=', e.id)
      .where('completed_at', 'is', null)
      .execute()
    return {
      kind: 'graded',
      grade: g,
      passMark: attempt.pass_mark,
      completed: { hours: entry.hours, ceYear: entry.ceYear, ledgerEntryId: entry.id },
      retryAt: null,
      repeated: false,
    }
  })
}

async function completionOf(trx: DB, enrollmentId: number) {
  const r = await trx
    .selectFrom('enrollments as e')
    .innerJoin('hour_entries as h', 'h.id', 'e.ledger_entry_id')
    .select(['h.id', 'h.hours', 'h.ce_year'])
    .where('e.id', '=', enrollmentId)
    .executeTakeFirst()
  return r ? { hours: normalizeHours(r.hours), ceYear: r.ce_year, ledgerEntryId: r.id } : null
}
