import { describe, expect, test } from 'vitest'

import { type HeartbeatInput, recordHeartbeat } from '#app/domain/courses/heartbeats.server.ts'
import { enroll } from '#app/domain/courses/progress.server.ts'
import { CHECK_AFTER_SECONDS, DONE_RATIO } from '#app/domain/courses/study-time.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createLearner } from '#test/factories/people.ts'

const T0 = Date.UTC(2026, 2, 1, 1, 0, 0)

async function learner() {
  const { accountId } = await createLearner(getDb())
  return (await getDb().selectFrom('accounts').select('person_id').where('id', '=', accountId).executeTakeFirstOrThrow()).person_id
}

async function lessonOf(kind: 'text' | 'video') {
  return getDb()
    .selectFrom('lessons')
    .select(['course_id', 'id', 'seconds'])
    .where('kind', '=', kind)
    .orderBy('course_id')
    .orderBy('position')
    .executeTakeFirstOrThrow()
}

function beats(personId: number, base: Omit<HeartbeatInput, 'seq'>) {
  let seq = 0
  return (at: number, extra: Partial<HeartbeatInput> = {}) =>
    recordHeartbeat(getDb(), personId, { ...base, seq: seq++, ...extra }, { nowMs: T0 + at * 1000 })
}

async function verifiedMs(personId: number, courseId: string, lessonId: string) {
  const row = await getDb()
    .selectFrom('lesson_progress')
    .innerJoin('enrollments', 'enrollments.id', 'lesson_progress.enrollment_id')
    .select('lesson_progress.verified_ms')
    .where('enrollments.person_id', '=', personId)
    .where('enrollments.course_id', '=', courseId)
    .where('lesson_progress.lesson_id', '=', lessonId)
    .executeTakeFirst()
  return Number(row?.verified_ms ?? 0)
}

async function lastSeq(personId: number, courseId: string, lessonId: string) {
  const row = await getDb()
    .selectFrom('lesson_progress')
    .innerJoin('enrollments', 'enrollments.id', 'lesson_progress.enrollment_id')
    .select('lesson_progress.last_seq')
    .where('enrollments.person_id', '=', personId)
    .where('enrollments.course_id', '=', courseId)
    .where('lesson_progress.lesson_id', '=', lessonId)
    .executeTakeFirstOrThrow()
  return Number(row.last_seq)
}

describe('online study on the server', () => {
  test('enrolment is idempotent; an unknown or unpublished course is refused', async () => {
    const pid = await learner()
    const { course_id } = await lessonOf('text')
    const first = await enroll(getDb(), pid, course_id)
    const again = await enroll(getDb(), pid, course_id)
    expect(first).toMatchObject({ ok: true, created: true })
    expect(again).toMatchObject({ ok: true, created: false, enrollmentId: first.ok ? first.enrollmentId : -1 })
    expect(await enroll(getDb(), pid, 'no-such-course')).toEqual({ ok: false, code: 'not_found' })
  })

  test('text lesson: verified time follows the server clock and is stored', async () => {
    const pid = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), pid, l.course_id)
    const hb = beats(pid, { courseId: l.course_id, lessonId: l.id, playerId: 'player-aaaa', engaged: true })
    await hb(0, { start: true })
    await hb(15)
    const r = await hb(30)
    expect(r).toMatchObject({ kind: 'credited', verifiedSeconds: 30 })
    expect(await verifiedMs(pid, l.course_id, l.id)).toBe(30_000)
  })

  test('heartbeats faster than the clock are capped to the clock', async () => {
    const pid = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), pid, l.course_id)
    const hb = beats(pid, { courseId: l.course_id, lessonId: l.id, playerId: 'player-fast', engaged: true })
    await hb(0, { start: true })
    for (let i = 1; i <= 40; i++) await hb(i * 0.25)
    expect(await verifiedMs(pid, l.course_id, l.id)).toBe(10_000)
  })

  test('a seek beyond the furthest point is refused and earns nothing', async () => {
    const pid = await learner()
    const v = await lessonOf('video')
    await enroll(getDb(), pid, v.course_id)
    const hb = beats(pid, { courseId: v.course_id, lessonId: v.id, playerId: 'player-video', engaged: true })
    await hb(0, { start: true, positionSeconds: 0 })
    await hb(10, { positionSeconds: 10 })
    expect(await hb(12, { positionSeconds: v.seconds - 1 })).toEqual({ kind: 'seek_refused', resumeAt: 10 })
    expect(await verifiedMs(pid, v.course_id, v.id)).toBe(10_000)
  })

  test('two lessons at once accrue for only one: the newer page takes over', async () => {
    const pid = await learner()
    const a = await lessonOf('text')
    const lessons = await getDb()
      .selectFrom('lessons')
      .select(['course_id', 'id'])
      .where('kind', '=', 'text')
      .where('course_id', '<>', a.course_id)
      .limit(1)
      .executeTakeFirstOrThrow()
    await enroll(getDb(), pid, a.course_id)
    await enroll(getDb(), pid, lessons.course_id)
    const first = beats(pid, { courseId: a.course_id, lessonId: a.id, playerId: 'tab-one', engaged: true })
    const second = beats(pid, { courseId: lessons.course_id, lessonId: lessons.id, playerId: 'tab-two', engaged: true })
    await first(0, { start: true })
    await first(15)
    await second(16, { start: true })
    expect(await first(30)).toEqual({ kind: 'taken_over' })
    await second(31)
    expect(await verifiedMs(pid, a.course_id, a.id)).toBe(15_000)
    expect(await verifiedMs(pid, lessons.course_id, lessons.id)).toBe(15_000)
  })

  test('replayed heartbeats change nothing', async () => {
    const pid = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), pid, l.course_id)
    const base = { courseId: l.course_id, lessonId: l.id, playerId: 'player-replay', engaged: true }
    await recordHeartbeat(getDb(), pid, { ...base, seq: 0, start: true }, { nowMs: T0 })
    await recordHeartbeat(getDb(), pid, { ...base, seq: 1 }, { nowMs: T0 + 15_000 })
    expect(await recordHeartbeat(getDb(), pid, { ...base, seq: 1 }, { nowMs: T0 + 29_000 })).toEqual({ kind: 'replayed' })
    expect(await verifiedMs(pid, l.course_id, l.id)).toBe(15_000)
  })

  test('another person’s enrolment cannot be used, and an unknown lesson is refused', async () => {
    const owner = await learner()
    const other = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), owner, l.course_id)
    expect(
      await recordHeartbeat(getDb(), other, {
        courseId: l.course_id,
        lessonId: l.id,
        playerId: 'intruder',
        seq: 0,
        start: true,
        engaged: true,
      }),
    ).toEqual({ kind: 'not_enrolled' })
    expect(
      await recordHeartbeat(getDb(), owner, { courseId: l.course_id, lessonId: 'nope', playerId: 'p', seq: 0, start: true, engaged: true }),
    ).toEqual({ kind: 'unknown_lesson' })
  })

  test('two beats of one page sent together (seq n at t−10 s, seq n+1 at t), 10 rounds: no lost update, exact verified time', async () => {
    const pid = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), pid, l.course_id)
    // 200 s in all: below the first attention check (≥ 600 s) and far from done, so only the race decides.
    expect(CHECK_AFTER_SECONDS.min).toBeGreaterThan(200)
    expect(l.seconds * DONE_RATIO).toBeGreaterThan(200)
    const base = { courseId: l.course_id, lessonId: l.id, playerId: 'player-race', engaged: true }
    await recordHeartbeat(getDb(), pid, { ...base, seq: 0, start: true }, { nowMs: T0 })
    for (let round = 1; round <= 10; round++) {
      const t = round * 20
      const older = () => recordHeartbeat(getDb(), pid, { ...base, seq: 2 * round - 1 }, { nowMs: T0 + (t - 10) * 1000 })
      const newer = () => recordHeartbeat(getDb(), pid, { ...base, seq: 2 * round }, { nowMs: T0 + t * 1000 })
      // Either may arrive first: alternate which one starts first. Applied one after the other,
      // older-then-newer credits 10 + 10 s and newer-then-older credits 20 s and replays the older.
      // Applied from the same read, the older's write could land last and undo the newer's.
      const results = round % 2 ? await Promise.all([older(), newer()]) : await Promise.all([newer(), older()]).then(([n, o]) => [o, n])
      const credited = results.reduce((sum, r) => sum + (r.kind === 'credited' ? r.creditedSeconds : 0), 0)
      const stored = { verifiedMs: await verifiedMs(pid, l.course_id, l.id), lastSeq: await lastSeq(pid, l.course_id, l.id) }
      expect({ round, kinds: results.map((r) => r.kind).sort(), credited, ...stored }).toMatchObject({
        round,
        credited: 20,
        verifiedMs: t * 1000,
        lastSeq: 2 * round,
      })
    }
    expect(await verifiedMs(pid, l.course_id, l.id)).toBe(200_000)
  })

  test('without an injected clock, PostgreSQL’s clock is used', async () => {
    const pid = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), pid, l.course_id)
    const base = { courseId: l.course_id, lessonId: l.id, playerId: 'player-db-clock', engaged: true }
    expect(await recordHeartbeat(getDb(), pid, { ...base, seq: 0, start: true })).toMatchObject({ kind: 'credited', creditedSeconds: 0 })
    const r = await recordHeartbeat(getDb(), pid, { ...base, seq: 1 })
    expect(r.kind).toBe('credited')
    if (r.kind === 'credited') expect(r.verifiedSeconds).toBeLessThan(2)
  })
})

describe('forged heartbeats', () => {
  test('a page that does not hold the slot, a jump ahead on start, or a huge claimed position earn nothing', async () => {
    const pid = await learner()
    const v = await lessonOf('video')
    await enroll(getDb(), pid, v.course_id)
    const base = { courseId: v.course_id, lessonId: v.id, engaged: true }
    await recordHeartbeat(getDb(), pid, { ...base, playerId: 'real-page', seq: 0, start: true, positionSeconds: 0 }, { nowMs: T0 })
    await recordHeartbeat(getDb(), pid, { ...base, playerId: 'real-page', seq: 1, positionSeconds: 10 }, { nowMs: T0 + 10_000 })
    // A script inventing a player id without starting: told it was taken over, nothing changes.
    expect(
      await recordHeartbeat(getDb(), pid, { ...base, playerId: 'forged', seq: 99, positionSeconds: 20 }, { nowMs: T0 + 20_000 }),
    ).toEqual({ kind: 'taken_over' })
    expect(await verifiedMs(pid, v.course_id, v.id)).toBe(10_000)
    // Starting a new page at the end of the video: refused, and a start is owed no time anyway.
    expect(
      await recordHeartbeat(
        getDb(),
        pid,
        { ...base, playerId: 'forged-2', seq: 0, start: true, positionSeconds: v.seconds },
        { nowMs: T0 + 21_000 },
      ),
    ).toEqual({ kind: 'seek_refused', resumeAt: 10 })
    // A position far beyond the media length is clamped to it, then refused as a seek.
    expect(
      await recordHeartbeat(getDb(), pid, { ...base, playerId: 'forged-2', seq: 1, positionSeconds: 1e6 }, { nowMs: T0 + 30_000 }),
    ).toEqual({ kind: 'seek_refused', resumeAt: 10 })
    expect(await verifiedMs(pid, v.course_id, v.id)).toBe(10_000)
  })
})

describe('attention checks on the server', () => {
  test('a due check is stored: later heartbeats (even from a new page) earn nothing until confirmed', async () => {
    const pid = await learner()
    const l = await lessonOf('text')
    await enroll(getDb(), pid, l.course_id)
    const hb = beats(pid, { courseId: l.course_id, lessonId: l.id, playerId: 'player-check', engaged: true })
    await hb(0, { start: true })
    await hb(20)
    // Bring the scheduled check forward to 30 s of verified time.
    await getDb().updateTable('lesson_progress').set({ check_at_ms: 30_000 }).execute()
    expect(await hb(40)).toMatchObject({ kind: 'credited', verifiedSeconds: 30, check: true })
    expect(await hb(60)).toMatchObject({ kind: 'credited', creditedSeconds: 0, check: true })
    const reload = await recordHeartbeat(
      getDb(),
      pid,
      { courseId: l.course_id, lessonId: l.id, playerId: 'player-new', seq: 0, start: true, engaged: true },
      { nowMs: T0 + 70_000 },
    )
    expect(reload).toMatchObject({ check: true, verifiedSeconds: 30 })
    const confirm = await recordHeartbeat(
      getDb(),
      pid,
      { courseId: l.course_id, lessonId: l.id, playerId: 'player-new', seq: 1, engaged: false, confirm: true },
      { nowMs: T0 + 80_000 },
    )
    expect(confirm).toMatchObject({ kind: 'credited', creditedSeconds: 0, check: false })
    const resumed = await recordHeartbeat(
      getDb(),
      pid,
      { courseId: l.course_id, lessonId: l.id, playerId: 'player-new', seq: 2, engaged: true },
      { nowMs: T0 + 95_000 },
    )
    expect(resumed).toMatchObject({ verifiedSeconds: 45, check: false })
    const row = await getDb().selectFrom('lesson_progress').select(['check_at_ms', 'check_pending']).executeTakeFirstOrThrow()
    expect(row.check_pending).toBe(false)
    expect(Number(row.check_at_ms)).toBeGreaterThanOrEqual(30_000 + 600_000)
  })
})
