import path from 'node:path'

import { beforeAll, describe, expect, test } from 'vitest'

import { PROJECT_ROOT } from '#app/cli/services.ts'
import { courseFigures, setPublished } from '#app/domain/courses/admin.server.ts'
import { loadCourseFiles, syncCourses } from '#app/domain/courses/content-sync.server.ts'
import { recordHeartbeat } from '#app/domain/courses/heartbeats.server.ts'
import { courseProgress, enroll } from '#app/domain/courses/progress.server.ts'
import { openQuiz, type QuizSitting, submitQuiz } from '#app/domain/courses/quiz.server.ts'
import { revokeAllSessions } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { action as adminAction, loader as adminLoader } from '#app/routes/admin/courses.tsx'
import { loader as catalogLoader } from '#app/routes/courses/catalog.tsx'
import { action as courseAction, loader as courseLoader } from '#app/routes/courses/course.tsx'
import { action as heartbeatAction } from '#app/routes/courses/heartbeat.ts'
import { loader as lessonLoader } from '#app/routes/courses/lesson.tsx'
import { action as quizAction, loader as quizLoader } from '#app/routes/courses/quiz.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

/**
 * Course completion end to end on the server (real PostgreSQL): lessons done by heartbeats on an
 * injected clock, the quiz (locked, incomplete, failed, retry wait, passed), one ledger entry under
 * concurrent submits, the heartbeat endpoint's answers, and the admin's switch and figures. Uses
 * the short test-only course of test/fixtures/e2e-content (a 12 s video, a 24 s text lesson).
 */
const COURSE = 'e2e-short-course'
const RIGHT: Record<string, number> = { q1: 1, q2: 1, q3: 1, q4: 1, q5: 0 }
const T0 = Date.UTC(2026, 5, 1, 2, 0, 0)

beforeAll(async () => {
  const dir = path.join(PROJECT_ROOT, 'test/fixtures/e2e-content')
  await syncCourses(getDb(), loadCourseFiles(path.join(dir, 'courses'), { videoDir: path.join(dir, 'course-videos'), minutesPerHour: 45 }))
})

async function learner() {
  const { accountId } = await createLearner(getDb())
  const personId = (await getDb().selectFrom('accounts').select('person_id').where('id', '=', accountId).executeTakeFirstOrThrow())
    .person_id
  return { accountId, personId, cookie: await cookieFor(getDb(), accountId) }
}

/** Studies both lessons to the end with heartbeats on an injected clock. */
async function studyAll(personId: number) {
  const beat = (lessonId: string, seq: number, at: number, extra: object = {}) =>
    recordHeartbeat(
      getDb(),
      personId,
      { courseId: COURSE, lessonId, playerId: `player-${lessonId}`, seq, engaged: true, ...extra },
      { nowMs: T0 + at * 1000 },
    )
  await beat('short-video', 0, 0, { start: true, positionSeconds: 0 })
  await beat('short-video', 1, 6, { positionSeconds: 6 })
  await beat('short-video', 2, 12, { positionSeconds: 12 })
  await beat('short-text', 0, 13, { start: true })
  await beat('short-text', 1, 25)
  expect(await beat('short-text', 2, 37)).toMatchObject({ kind: 'credited', done: true })
}

function answers(sitting: QuizSitting, wrong = 0): Record<string, string> {
  const out: Record<string, string> = {}
  sitting.questions.forEach((q, i) => {
    const right = RIGHT[q.id]!
    out[q.id] = String(i < wrong ? q.options.find((o) => o.value !== right)!.value : right)
  })
  return out
}

async function open(personId: number, now?: Date): Promise<QuizSitting> {
  const r = await openQuiz(getDb(), personId, COURSE, { now })
  if (r.kind !== 'open') throw new Error(`quiz not open: ${r.kind}`)
  return r.sitting
}

async function entries(personId: number) {
  return getDb()
    .selectFrom('hour_entries')
    .select(['id', 'hours', 'ce_year', 'source_kind', 'source_ref', 'evidence', 'category'])
    .where('person_id', '=', personId)
    .execute()
}

describe('completing an online course', () => {
  test('the quiz opens only once every lesson is done, and shows every question with shuffled options', async () => {
    const p = await learner()
    await enroll(getDb(), p.personId, COURSE)
    expect(await openQuiz(getDb(), p.personId, COURSE)).toEqual({ kind: 'locked', lessonsLeft: 2 })
    await studyAll(p.personId)
    const sitting = await open(p.personId)
    expect(sitting.questions.map((q) => q.id).sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5'])
    // No answer key is sent to the page; options are the original indices, each once.
    for (const q of sitting.questions) expect(q.options.map((o) => o.value).sort()).toEqual(q.options.map((_, i) => i))
    expect(JSON.stringify(sitting)).not.toContain('"answer"')
    // Reloading shows the same sitting, not a new draw.
    expect((await open(p.personId)).attemptId).toBe(sitting.attemptId)
  })

  test('an incomplete submit is refused and changes nothing', async () => {
    const p = await learner()
    await enroll(getDb(), p.personId, COURSE)
    await studyAll(p.personId)
    const sitting = await open(p.personId)
    const partial = answers(sitting)
    delete partial.q3
    partial.q4 = '7' // not an option
    expect(await submitQuiz(getDb(), p.personId, COURSE, sitting.attemptId, partial)).toEqual({
      kind: 'incomplete',
      missing: expect.arrayContaining(['q3', 'q4']),
    })
    const attempt = await getDb().selectFrom('quiz_attempts').selectAll().where('id', '=', sitting.attemptId).executeTakeFirstOrThrow()
    expect(attempt.submitted_at).toBeNull()
    expect(await entries(p.personId)).toEqual([])
  })

  test('a failed sitting waits out the retry time; a passed one credits the course once, in the CE year of completion', async () => {
    const p = await learner()
    await enroll(getDb(), p.personId, COURSE)
    await studyAll(p.personId)
    const first = await open(p.personId)
    const failedAt = new Date('2026-12-31T16:20:00Z') // 00:20 on 1 January 2027 in China
    const failed = await submitQuiz(getDb(), p.personId, COURSE, first.attemptId, answers(first, 3), { now: failedAt })
    expect(failed).toMatchObject({ kind: 'graded', grade: { correct: 2, total: 5, score: 40, passed: false }, completed: null })
    // The course's retryMinutes is 1.
    expect(await openQuiz(getDb(), p.personId, COURSE, { now: new Date(failedAt.getTime() + 30_000) })).toEqual({
      kind: 'cooling_down',
      retryAt: new Date(failedAt.getTime() + 60_000),
    })
    const second = await open(p.personId, new Date(failedAt.getTime() + 61_000))
    expect(second.attemptId).not.toBe(first.attemptId)

    const passedAt = new Date(failedAt.getTime() + 120_000)
    const passed = await submitQuiz(getDb(), p.personId, COURSE, second.attemptId, answers(second, 2), { now: passedAt })
    expect(passed).toMatchObject({
      kind: 'graded',
      grade: { correct: 3, score: 60, passed: true },
      completed: { hours: '0.01', ceYear: 2027 },
    })
    const rows = await entries(p.personId)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ source_kind: 'online_course', source_ref: COURSE, category: 'professional', ce_year: 2027 })
    expect(rows[0]!.evidence).toMatchObject({
      title: '端到端测试短课程',
      courseId: COURSE,
      requiredSeconds: 36,
      quizScore: 60,
      passMark: 60,
    })
    expect((rows[0]!.evidence as { verifiedSeconds: number }).verifiedSeconds).toBeGreaterThanOrEqual(34)
    expect(await openQuiz(getDb(), p.personId, COURSE)).toEqual({ kind: 'passed' })
    const progress = await courseProgress(getDb(), p.personId, COURSE)
    expect(progress).toMatchObject({ completedAt: passedAt.toISOString(), creditedHours: '0.01', quiz: { state: 'passed', score: 60 } })
  })

  test('concurrent submits of the same sitting (double clicks, retries) credit the hours once', async () => {
    const p = await learner()
    await enroll(getDb(), p.personId, COURSE)
    await studyAll(p.personId)
    const sitting = await open(p.personId)
    const results = await Promise.all(
      Array.from({ length: 12 }, () => submitQuiz(getDb(), p.personId, COURSE, sitting.attemptId, answers(sitting))),
    )
    expect(results.every((r) => r.kind === 'graded' && r.grade.passed && r.completed?.hours === '0.01')).toBe(true)
    expect(results.filter((r) => r.kind === 'graded' && !r.repeated)).toHaveLength(1)
    expect(await entries(p.personId)).toHaveLength(1)
    const totals = await getDb().selectFrom('hour_totals').select(['counted_hours']).where('person_id', '=', p.personId).execute()
    expect(totals.map((t) => t.counted_hours)).toEqual(['0.01'])
  })

  test('another person’s sitting or enrolment is not found', async () => {
    const owner = await learner()
    const other = await learner()
    await enroll(getDb(), owner.personId, COURSE)
    await studyAll(owner.personId)
    const sitting = await open(owner.personId)
    expect(await submitQuiz(getDb(), other.personId, COURSE, sitting.attemptId, answers(sitting))).toEqual({ kind: 'not_found' })
    await enroll(getDb(), other.personId, COURSE)
    expect(await submitQuiz(getDb(), other.personId, COURSE, sitting.attemptId, answers(sitting))).toEqual({ kind: 'not_found' })
    // Through the pages: the quiz and a lesson of a course one is not enrolled in are 404.
    const third = await learner()
    expect((await call(quizLoader, makeRequest(`/courses/${COURSE}/quiz`, { cookie: third.cookie }), { id: COURSE })).status).toBe(404)
    expect(
      (
        await call(lessonLoader, makeRequest(`/courses/${COURSE}/lessons/short-text`, { cookie: third.cookie }), {
          id: COURSE,
          lessonId: 'short-text',
        })
      ).status,
    ).toBe(404)
  })

  test('through the pages: enrol, study, a quiz submit with answers passes and 我的学时 data has it', async () => {
    const p = await learner()
    const enrolled = await call(courseAction, makeRequest(`/courses/${COURSE}`, { form: {}, cookie: p.cookie }), { id: COURSE })
    expect(enrolled).toMatchObject({ status: 302 })
    expect(enrolled.headers.get('Location')).toBe(`/courses/${COURSE}?enrolled=1`)
    const catalog = () => call(catalogLoader, makeRequest('/courses', { cookie: p.cookie }))
    expect((await catalog()).data.mine).toEqual([
      {
        courseId: COURSE,
        title: '端到端测试短课程',
        hours: '0.01',
        lessons: 2,
        lessonsDone: 0,
        completedAt: null,
        nextLessonId: 'short-video',
      },
    ])
    await studyAll(p.personId)
    expect((await catalog()).data.mine[0]).toMatchObject({ lessonsDone: 2, nextLessonId: null })
    const page = await call(quizLoader, makeRequest(`/courses/${COURSE}/quiz`, { cookie: p.cookie }), { id: COURSE })
    const sitting = page.data.quiz.sitting as QuizSitting
    const form: Record<string, string> = { attemptId: String(sitting.attemptId) }
    for (const [q, v] of Object.entries(answers(sitting))) form[`q:${q}`] = v
    const res = await call(quizAction, makeRequest(`/courses/${COURSE}/quiz`, { form, cookie: p.cookie }), { id: COURSE })
    expect(res.data).toMatchObject({ kind: 'graded', passed: true, hours: '0.01' })
    const course = await call(courseLoader, makeRequest(`/courses/${COURSE}`, { cookie: p.cookie }), { id: COURSE })
    expect(course.data.progress).toMatchObject({ lessonsDone: 2, creditedHours: '0.01' })
    expect((await catalog()).data.mine[0]).toMatchObject({ completedAt: expect.any(String) })
    // Signed out, the catalog has no personal list.
    expect((await call(catalogLoader, makeRequest('/courses'))).data.mine).toEqual([])
  })
})

describe('the heartbeat endpoint', () => {
  const body = { courseId: COURSE, lessonId: 'short-text', playerId: 'player-endpoint', seq: 0, start: true, engaged: false }
  const post = (json: unknown, headers: Record<string, string> = {}) =>
    call(
      heartbeatAction,
      new Request('http://localhost/study/heartbeat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof json === 'string' ? json : JSON.stringify(json),
      }),
    )

  test('signed in and enrolled: credited; signed out 401; cross-site 403; bad body 400; not enrolled 404; taken over 409', async () => {
    const p = await learner()
    await enroll(getDb(), p.personId, COURSE)
    expect(await post(body, { Cookie: p.cookie })).toMatchObject({
      status: 200,
      data: { status: 'credited', verifiedSeconds: 0, requiredSeconds: 24, done: false },
    })
    expect((await post(body)).status).toBe(401)
    expect((await post(body, { Cookie: 'xs_session=forged-token-forged-token-forged' })).status).toBe(401)
    expect((await post(body, { Cookie: p.cookie, Origin: 'https://evil.example' })).status).toBe(403)
    expect((await post('{"seq":', { Cookie: p.cookie })).status).toBe(400)
    expect((await post({ ...body, seq: -1 }, { Cookie: p.cookie })).status).toBe(400)
    expect((await post({ ...body, extra: 1 }, { Cookie: p.cookie })).status).toBe(400)
    const stranger = await learner()
    expect(await post(body, { Cookie: stranger.cookie })).toMatchObject({ status: 404, data: { error: { code: 'not_found' } } })
    // A second page takes the slot; the first page's next heartbeat is 409 and earns nothing.
    expect((await post({ ...body, playerId: 'player-second', lessonId: 'short-video' }, { Cookie: p.cookie })).status).toBe(200)
    expect(await post({ ...body, seq: 1, start: false, engaged: true }, { Cookie: p.cookie })).toMatchObject({
      status: 409,
      data: { status: 'taken_over' },
    })
    // Signing out everywhere ends heartbeats at once (no cached session).
    await revokeAllSessions(getDb(), p.accountId)
    expect((await post({ ...body, seq: 5 }, { Cookie: p.cookie })).status).toBe(401)
  })
})

describe('admin: courses', () => {
  test('figures per course: enrolled, completed, mean verified time, quiz pass rate', async () => {
    const a = await learner()
    const b = await learner()
    for (const p of [a, b]) await enroll(getDb(), p.personId, COURSE)
    await studyAll(a.personId)
    const s1 = await open(a.personId)
    await submitQuiz(getDb(), a.personId, COURSE, s1.attemptId, answers(s1, 5), { now: new Date(Date.now() - 3600_000) })
    const s2 = await open(a.personId)
    await submitQuiz(getDb(), a.personId, COURSE, s2.attemptId, answers(s2))
    const fig = (await courseFigures(getDb())).find((c) => c.id === COURSE)!
    expect(fig).toMatchObject({ enrolled: 2, completed: 1, quizSittings: 2, quizPassed: 1, quizPassRate: 50, requiredSeconds: 36 })
    // a studied 36 s, b nothing: 18 s on average.
    expect(fig.averageVerifiedSeconds).toBe(18)
  })

  test('unpublish hides the course and stops new enrolments, audited; enrolled learners keep studying', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const cookie = await cookieFor(getDb(), admin.accountId)
    const enrolled = await learner()
    await enroll(getDb(), enrolled.personId, COURSE)
    try {
      const res = await call(
        adminAction,
        makeRequest('/admin/courses', { form: { intent: 'unpublish', confirm: 'yes', courseId: COURSE }, cookie }),
      )
      expect(res.data).toEqual({ courseId: COURSE, published: false })
      const audit = await getDb()
        .selectFrom('audit_log')
        .select(['action', 'target_id'])
        .where('actor_account_id', '=', admin.accountId)
        .execute()
      expect(audit).toContainEqual({ action: 'course.unpublish', target_id: COURSE })
      const newcomer = await learner()
      expect(await enroll(getDb(), newcomer.personId, COURSE)).toEqual({ ok: false, code: 'not_found' })
      expect((await call(courseLoader, makeRequest(`/courses/${COURSE}`, { cookie: newcomer.cookie }), { id: COURSE })).status).toBe(404)
      const kept = await call(courseLoader, makeRequest(`/courses/${COURSE}`, { cookie: enrolled.cookie }), { id: COURSE })
      expect(kept.status).toBe(200)
      expect(
        await recordHeartbeat(getDb(), enrolled.personId, {
          courseId: COURSE,
          lessonId: 'short-text',
          playerId: 'player-kept',
          seq: 0,
          start: true,
          engaged: false,
        }),
      ).toMatchObject({ kind: 'credited' })
      const list = await call(adminLoader, makeRequest('/admin/courses', { cookie }))
      expect(list.data.courses.find((c: { id: string }) => c.id === COURSE)).toMatchObject({ published: false })
    } finally {
      await getDb()
        .transaction()
        .execute((trx) => setPublished(trx, COURSE, true, admin.accountId))
    }
  })

  test.each(['learner', 'hr', 'base_staff'] as const)('%s → 403 on /admin/courses', async (role) => {
    const id = role === 'learner' ? (await createLearner(getDb())).accountId : (await createStaff(getDb(), role)).accountId
    const cookie = await cookieFor(getDb(), id)
    expect((await call(adminLoader, makeRequest('/admin/courses', { cookie }))).status).toBe(403)
    expect(
      (await call(adminAction, makeRequest('/admin/courses', { form: { intent: 'unpublish', confirm: 'yes', courseId: COURSE }, cookie })))
        .status,
    ).toBe(403)
  })
})
