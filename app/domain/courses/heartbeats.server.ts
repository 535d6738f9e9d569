import { sql } from 'kysely'

import { sessionPersonQuery } from '#app/domain/identity/sessions.server.ts'
import type { DB } from '#db/schema.ts'

import { type ActiveSlot, applyHeartbeat, type Heartbeat, type LessonRule, type Progress } from './study-time.ts'

/**
 * The heartbeat on the server: turns what a lesson page reports into verified time using the
 * rules of study-time.ts.
 *
 * A heartbeat is one read and one conditional write (ADR 0009): the read takes the enrolment,
 * lesson, progress, the person's study slot with its version, and PostgreSQL's clock (so web
 * processes never disagree on time); the write updates the slot and the progress only if the slot
 * version is still the one read. Every accepted heartbeat bumps that version, so one person's
 * heartbeats — from any tab, device or web process — are applied one at a time: a write that lost
 * a race changes nothing and is recomputed from fresh state.
 */
/** A heartbeat as the page sends it: the rules' Heartbeat, naming the lesson by course and id. */
export type HeartbeatInput = Heartbeat & { courseId: string }

export type HeartbeatResult =
  | {
      kind: 'credited'
      creditedSeconds: number
      verifiedSeconds: number
      requiredSeconds: number
      furthestSeconds: number
      done: boolean
      check: boolean
    }
  | { kind: 'seek_refused'; resumeAt: number }
  | { kind: 'taken_over' }
  | { kind: 'replayed' }
  | { kind: 'busy' }
  | { kind: 'not_enrolled' }
  | { kind: 'unknown_lesson' }
  | { kind: 'signed_out' }

/** Who sends the heartbeat: a person, or a session token (looked up in the same statement as the state). */
export type Learner = { personId: number } | { sessionToken: string }

const ms = (seconds: number) => Math.round(seconds * 1000)
/** A lesson is identified within the person's slot by enrolment and lesson id. */
const slotKey = (enrollmentId: number, lessonId: string) => `${enrollmentId}:${lessonId}`
const MAX_ATTEMPTS = 5

type HeartbeatState = {
  person_id: number
  enrollment_id: number
  kind: 'text' | 'video'
  seconds: number
  has_progress: boolean
  verified_ms: number | null
  furthest_ms: number | null
  position_ms: number | null
  last_accepted_at: Date | null
  last_seq: number | null
  check_at_ms: number | null
  check_pending: boolean | null
  slot_player: string | null
  slot_enrollment: number | null
  slot_lesson: string | null
  slot_version: number | null
  now_ms: string
}

export async function recordHeartbeat(
  db: DB,
  learner: number | Learner,
  input: HeartbeatInput,
  opts: { nowMs?: number } = {},
): Promise<HeartbeatResult> {
  const who: Learner = typeof learner === 'number' ? { personId: learner } : learner
  const person = 'personId' in who ? sql`${who.personId}` : sql`(${sessionPersonQuery(db, who.sessionToken)})`
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await sql<HeartbeatState>`/* prepared: heartbeat-read */
      select e.person_id, e.id as enrollment_id, l.kind, l.seconds, p.enrollment_id is not null as has_progress,
             p.verified_ms, p.furthest_ms, p.position_ms, p.last_accepted_at, p.last_seq, p.check_at_ms, p.check_pending,
             s.player_id as slot_player, s.enrollment_id as slot_enrollment, s.lesson_id as slot_lesson, s.version as slot_version,
             (extract(epoch from clock_timestamp()) * 1000)::bigint::text as now_ms
        from enrollments e
        join lessons l on l.course_id = e.course_id and l.id = ${input.lessonId}
        left join lesson_progress p on p.enrollment_id = e.id and p.lesson_id = l.id
        left join study_slots s on s.person_id = e.person_id
       where e.person_id = ${person} and e.course_id = ${input.courseId}`
      .execute(db)
      .then((r) => r.rows[0])
    if (!state) return whyNoState(db, who, input.courseId)
    const personId = state.person_id
    const nowMs = opts.nowMs ?? Number(state.now_ms)
    const slot: ActiveSlot =
      state.slot_player !== null ? { playerId: state.slot_player, lessonId: slotKey(state.slot_enrollment!, state.slot_lesson!) } : null
    const progress: Progress = {
      verifiedSeconds: (state.verified_ms ?? 0) / 1000,
      furthestSeconds: (state.furthest_ms ?? 0) / 1000,
      positionSeconds: (state.position_ms ?? 0) / 1000,
      lastAcceptedAt: state.last_accepted_at ? new Date(state.last_accepted_at).getTime() : null,
      lastSeq: state.last_seq ?? -1,
      checkAtSeconds: state.check_at_ms === null ? null : state.check_at_ms / 1000,
      checkPending: state.check_pending ?? false,
    }
    const rule: LessonRule = { kind: state.kind, requiredSeconds: state.seconds, mediaSeconds: state.seconds }
    const outcome = applyHeartbeat(rule, progress, slot, { ...input, lessonId: slotKey(state.enrollment_id, input.lessonId) }, nowMs)
    if (outcome.kind === 'taken_over' || outcome.kind === 'replayed') return { kind: outcome.kind }

    const p = outcome.progress
    const done = outcome.kind === 'credited' && outcome.done
    const now = new Date(nowMs)
    const values = {
      verified: ms(p.verifiedSeconds),
      furthest: ms(p.furthestSeconds),
      position: ms(p.positionSeconds),
      seq: p.lastSeq,
      doneAt: done ? now : null,
      checkAt: p.checkAtSeconds === null ? null : ms(p.checkAtSeconds),
      checkPending: p.checkPending,
    }
    const sameSlot = slot !== null && slot.playerId === input.playerId && slot.lessonId === slotKey(state.enrollment_id, input.lessonId)
    // The slot goes to this player and the progress is written, both only if nobody changed the
    // slot since the read (see the module comment). The usual beat — same page, rows already there —
    // is two plain updates; the first beat of a page or lesson upserts.
    const written =
      sameSlot && state.has_progress
        ? await sql<{ n: number }>`/* prepared: heartbeat-write */
            with s as (
              update study_slots set version = version + 1 where person_id = ${personId} and version = ${state.slot_version} returning 1
            ), p as (
              update lesson_progress set verified_ms = ${values.verified}, furthest_ms = ${values.furthest}, position_ms = ${values.position},
                     last_accepted_at = ${now}, last_seq = ${values.seq}, done_at = coalesce(done_at, ${values.doneAt}::timestamptz),
                     check_at_ms = ${values.checkAt}::bigint, check_pending = ${values.checkPending}
               where enrollment_id = ${state.enrollment_id} and lesson_id = ${input.lessonId} and exists (select 1 from s)
              returning 1
            )
            select count(*)::int as n from s`.execute(db)
        : await sql<{ n: number }>`
            with s as (
              insert into study_slots as t (person_id, player_id, enrollment_id, lesson_id, claimed_at, version)
              values (${personId}, ${input.playerId}, ${state.enrollment_id}, ${input.lessonId}, ${now}, 1)
              on conflict (person_id) do update set
                player_id = excluded.player_id, enrollment_id = excluded.enrollment_id, lesson_id = excluded.lesson_id,
                claimed_at = case when (t.player_id, t.enrollment_id, t.lesson_id) = (excluded.player_id, excluded.enrollment_id, excluded.lesson_id)
                                  then t.claimed_at else excluded.claimed_at end,
                version = t.version + 1
              where t.version = ${state.slot_version ?? 0}
              returning version
            ), p as (
              insert into lesson_progress as lp (enrollment_id, lesson_id, verified_ms, furthest_ms, position_ms, last_accepted_at, last_seq, done_at, check_at_ms, check_pending)
              select ${state.enrollment_id}, ${input.lessonId}, ${values.verified}, ${values.furthest}, ${values.position}, ${now}, ${values.seq}, ${values.doneAt}::timestamptz,
                     ${values.checkAt}::bigint, ${values.checkPending}
                from s
              on conflict (enrollment_id, lesson_id) do update set
                verified_ms = excluded.verified_ms, furthest_ms = excluded.furthest_ms, position_ms = excluded.position_ms,
                last_accepted_at = excluded.last_accepted_at, last_seq = excluded.last_seq,
                done_at = coalesce(lp.done_at, excluded.done_at), check_at_ms = excluded.check_at_ms, check_pending = excluded.check_pending
              returning 1
            )
            select count(*)::int as n from s`.execute(db)
    if (written.rows[0]!.n === 0) continue // lost a race with another heartbeat of this person: recompute

    if (outcome.kind === 'seek_refused') return { kind: 'seek_refused', resumeAt: outcome.resumeAt }
    return {
      kind: 'credited',
      creditedSeconds: outcome.seconds,
      verifiedSeconds: p.verifiedSeconds,
      requiredSeconds: state.seconds,
      furthestSeconds: p.furthestSeconds,
      done,
      check: p.checkPending,
    }
  }
  return { kind: 'busy' }
}

/** The rare path: why the heartbeat's state was not found (signed out, not enrolled, no such lesson). */
async function whyNoState(db: DB, who: Learner, courseId: string): Promise<HeartbeatResult> {
  let personId: number
  if ('personId' in who) personId = who.personId
  else {
    const row = await sessionPersonQuery(db, who.sessionToken).executeTakeFirst()
    if (!row) return { kind: 'signed_out' }
    personId = row.person_id
  }
  const enrolled = await db
    .selectFrom('enrollments')
    .select('id')
    .where('person_id', '=', personId)
    .where('course_id', '=', courseId)
    .executeTakeFirst()
  return { kind: enrolled ? 'unknown_lesson' : 'not_enrolled' }
}
