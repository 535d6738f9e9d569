import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { applyHeartbeat, type ActiveSlot, type LessonRule, type Progress } from './study-time.ts'

/**
 * Online study on the server: enrolment, and the heartbeat that turns what a lesson page reports
 * into verified time using the rules of study-time.ts. Each heartbeat runs in one transaction that
 * locks the person's row, so one person's heartbeats (from any tab, device or web process) are
 * applied one at a time; time comes from PostgreSQL's clock, so web processes never disagree.
 */
type DB = Kysely<Database>

export async function enroll(db: DB, personId: number, courseId: string): Promise<{ ok: true; enrollmentId: number; created: boolean } | { ok: false; error: 'not_found' }> {
  const course = await db.selectFrom('courses').select('id').where('id', '=', courseId).where('published', '=', true).executeTakeFirst()
  if (!course) return { ok: false, error: 'not_found' }
  const inserted = await db
    .insertInto('enrollments')
    .values({ person_id: personId, course_id: courseId })
    .onConflict((oc) => oc.columns(['person_id', 'course_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return { ok: true, enrollmentId: inserted.id, created: true }
  const existing = await db.selectFrom('enrollments').select('id').where('person_id', '=', personId).where('course_id', '=', courseId).executeTakeFirstOrThrow()
  return { ok: true, enrollmentId: existing.id, created: false }
}

export type HeartbeatInput = {
  courseId: string
  lessonId: string
  /** Random per page load. */
  playerId: string
  seq: number
  start?: boolean
  positionSeconds?: number
  engaged: boolean
}

export type HeartbeatResult =
  | { kind: 'credited'; creditedSeconds: number; verifiedSeconds: number; requiredSeconds: number; furthestSeconds: number; done: boolean }
  | { kind: 'seek_refused'; resumeAt: number }
  | { kind: 'taken_over' }
  | { kind: 'replayed' }
  | { kind: 'not_enrolled' }
  | { kind: 'unknown_lesson' }

const ms = (seconds: number) => Math.round(seconds * 1000)

export async function recordHeartbeat(db: DB, personId: number, input: HeartbeatInput, opts: { nowMs?: number } = {}): Promise<HeartbeatResult> {
  return db.transaction().execute(async (trx) => {
    // Serialises this person's heartbeats across tabs, devices and web processes.
    await trx.selectFrom('people').select('id').where('id', '=', personId).forUpdate().executeTakeFirstOrThrow()
    const enrollment = await trx.selectFrom('enrollments').select('id').where('person_id', '=', personId).where('course_id', '=', input.courseId).executeTakeFirst()
    if (!enrollment) return { kind: 'not_enrolled' }
    const lesson = await trx.selectFrom('lessons').select(['kind', 'seconds']).where('course_id', '=', input.courseId).where('id', '=', input.lessonId).executeTakeFirst()
    if (!lesson) return { kind: 'unknown_lesson' }
    const nowMs =
      opts.nowMs ?? Number((await sql<{ now: string }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint::text as now`.execute(trx)).rows[0]!.now)

    await trx.insertInto('lesson_progress').values({ enrollment_id: enrollment.id, lesson_id: input.lessonId }).onConflict((oc) => oc.doNothing()).execute()
    const row = await trx
      .selectFrom('lesson_progress')
      .selectAll()
      .where('enrollment_id', '=', enrollment.id)
      .where('lesson_id', '=', input.lessonId)
      .executeTakeFirstOrThrow()
    const slotRow = await trx.selectFrom('study_slots').selectAll().where('person_id', '=', personId).executeTakeFirst()

    const key = (enrollmentId: number, lessonId: string) => `${enrollmentId}:${lessonId}`
    const slot: ActiveSlot = slotRow ? { playerId: slotRow.player_id, lessonId: key(slotRow.enrollment_id, slotRow.lesson_id) } : null
    const progress: Progress = {
      verifiedSeconds: Number(row.verified_ms) / 1000,
      furthestSeconds: Number(row.furthest_ms) / 1000,
      positionSeconds: Number(row.position_ms) / 1000,
      lastAcceptedAt: row.last_accepted_at ? new Date(row.last_accepted_at).getTime() : null,
      lastSeq: row.last_seq,
    }
    const rule: LessonRule = { kind: lesson.kind as 'text' | 'video', requiredSeconds: lesson.seconds, mediaSeconds: lesson.seconds }
    const outcome = applyHeartbeat(
      rule,
      progress,
      slot,
      { lessonId: key(enrollment.id, input.lessonId), playerId: input.playerId, seq: input.seq, start: input.start, positionSeconds: input.positionSeconds, engaged: input.engaged },
      nowMs,
    )
    if (outcome.kind === 'taken_over' || outcome.kind === 'replayed') return { kind: outcome.kind }

    const p = outcome.progress
    const done = outcome.kind === 'credited' && outcome.done
    await trx
      .updateTable('lesson_progress')
      .set({
        verified_ms: ms(p.verifiedSeconds),
        furthest_ms: ms(p.furthestSeconds),
        position_ms: ms(p.positionSeconds),
        last_accepted_at: new Date(nowMs),
        last_seq: p.lastSeq,
        ...(done && !row.done_at ? { done_at: new Date(nowMs) } : {}),
      })
      .where('enrollment_id', '=', enrollment.id)
      .where('lesson_id', '=', input.lessonId)
      .execute()
    if (!slot || slot.playerId !== input.playerId || slot.lessonId !== key(enrollment.id, input.lessonId)) {
      await trx
        .insertInto('study_slots')
        .values({ person_id: personId, player_id: input.playerId, enrollment_id: enrollment.id, lesson_id: input.lessonId, claimed_at: new Date(nowMs) })
        .onConflict((oc) =>
          oc.column('person_id').doUpdateSet({ player_id: input.playerId, enrollment_id: enrollment.id, lesson_id: input.lessonId, claimed_at: new Date(nowMs) }),
        )
        .execute()
    }
    if (outcome.kind === 'seek_refused') return { kind: 'seek_refused', resumeAt: outcome.resumeAt }
    return {
      kind: 'credited',
      creditedSeconds: outcome.seconds,
      verifiedSeconds: p.verifiedSeconds,
      requiredSeconds: lesson.seconds,
      furthestSeconds: p.furthestSeconds,
      done,
    }
  })
}
