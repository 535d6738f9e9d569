import { sql, type Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { macFor } from '#app/lib/crypto.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { publicOrigin } from '#app/lib/origin.server.ts'
import type { Database, DB, SeminarRegistrationStatus } from '#db/schema.ts'

import {
  blockDay,
  blockPart,
  type CodeClaims,
  decodeToken,
  type Direction,
  encodeToken,
  MAX_REASON,
  nonceOf,
  timingProblem,
  windowIndex,
  windowStart,
} from './checkin.ts'
import { LIVE_STATUSES } from './registration.server.ts'

/**
 * Check-in per half-day block (签到/签退): the host's venue screen shows a rotating code (an https
 * URL in a QR), the participant's phone opens it signed in, and `scan` signs them in or out.
 * Every scan is stored with its outcome (seminar_checkins), accepted or not; a block counts as
 * attended when the person signed in and out, or host staff marked it (with a reason), and a
 * staff mark stays the answer until staff change it. Host staff of the seminar's base only.
 */

type Trx = Transaction<Database>

const checkinMac = (payload: Buffer) => macFor('seminar-checkin', payload)

/** Runs `fn` in the caller's transaction, or in a new one. */
function inTransaction<T>(db: DB, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Trx) : db.transaction().execute(fn)
}

export type VenueCode = { token: string; url: string; expiresAt: Date; nextRotationAt: Date }

/**
 * The code the venue screen shows now for a block and direction. `requestOrigin` is only used
 * where no public address is configured (development, tests on localhost); in production the
 * URL is XUESHI_PUBLIC_URL's, an https address.
 */
export function venueCode(
  block: { id: number; seminarStartDate: string },
  direction: Direction,
  now: Date,
  requestOrigin: string,
): VenueCode {
  const { checkin } = seminarPolicyOn(block.seminarStartDate)
  const window = windowIndex(now, checkin.codeRotateSeconds)
  const token = encodeToken({ blockId: block.id, direction, window }, checkinMac)
  const origin = publicOrigin(requestOrigin, getEnv().XUESHI_PUBLIC_URL)
  if (origin === null) throw new Error('no trusted public address for the check-in code: set XUESHI_PUBLIC_URL')
  const shownAt = windowStart(window, checkin.codeRotateSeconds).getTime()
  return {
    token,
    url: `${origin}/c/${token}`,
    expiresAt: new Date(shownAt + checkin.codeValidSeconds * 1000),
    nextRotationAt: new Date(shownAt + checkin.codeRotateSeconds * 1000),
  }
}

export type ScanCode = 'forged' | 'expired' | 'not_registered' | 'too_early' | 'too_late' | 'replayed' | 'already'

export type ScannedBlock = { id: number; startsAt: Date; endsAt: Date; day: string; part: 'morning' | 'afternoon' }
export type ScanContext = { direction: Direction; block: ScannedBlock; seminar: { id: number; title: string } }

async function blockWithSeminar(db: DB, blockId: number) {
  return db
    .selectFrom('seminar_blocks as b')
    .innerJoin('seminars as s', 's.id', 'b.seminar_id')
    .select(['b.id', 'b.seminar_id', 'b.starts_at', 'b.ends_at', 's.title', 's.start_date', 's.host_base_id'])
    .where('b.id', '=', blockId)
    .executeTakeFirst()
}

async function isConfirmed(db: DB, seminarId: number, personId: number): Promise<boolean> {
  const row = await db
    .selectFrom('seminar_registrations')
    .select('id')
    .where('seminar_id', '=', seminarId)
    .where('person_id', '=', personId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst()
  return row !== undefined
}

/**
 * A participant scanned a venue code. Decides, and always stores the scan with its outcome
 * (except for a string that is no code at all, or names no block: there is nothing to file it
 * under); an accepted scan sets the sign-in or sign-out time of the person's attendance.
 * The attendance row is locked before the replay and "already" checks, so two scans of one
 * person for one block (two tabs, a double tap) are decided one after the other.
 */
export async function scan(
  db: DB,
  person: { personId: number; accountId: number },
  token: string,
  now: Date,
): Promise<Result<ScanContext, ScanCode, Partial<ScanContext>>> {
  const decoded = decodeToken(token, checkinMac)
  if (!decoded.ok && decoded.problem === 'unparsable') return err('forged')
  const claims: CodeClaims = decoded.claims
  return inTransaction(db, async (trx) => {
    const row = await blockWithSeminar(trx, claims.blockId)
    if (!row) return err('forged')
    const context: ScanContext = {
      direction: claims.direction,
      block: { id: row.id, startsAt: row.starts_at, endsAt: row.ends_at, day: blockDay(row.starts_at), part: blockPart(row.starts_at) },
      seminar: { id: row.seminar_id, title: row.title },
    }
    const nonce = nonceOf(claims)
    const record = (accepted: boolean, reason: ScanCode | null) =>
      trx
        .insertInto('seminar_checkins')
        .values({
          block_id: row.id,
          person_id: person.personId,
          direction: claims.direction,
          method: 'scan',
          nonce,
          accepted,
          reason,
          actor_account_id: person.accountId,
          at: now,
        })
        .execute()
    const refuse = async (code: ScanCode) => {
      await record(false, code)
      // A forged code names a block only because someone wrote it: say nothing about it.
      return code === 'forged' ? err(code) : err(code, context)
    }

    if (!decoded.ok) return refuse('forged')
    const { checkin } = seminarPolicyOn(row.start_date)
    const timing = timingProblem(now, claims, { startsAt: row.starts_at, endsAt: row.ends_at }, checkin)
    if (timing === 'forged' || timing === 'expired') return refuse(timing)
    if (!(await isConfirmed(trx, row.seminar_id, person.personId))) return refuse('not_registered')
    if (timing) return refuse(timing)

    await trx
      .insertInto('seminar_attendance')
      .values({ block_id: row.id, person_id: person.personId })
      .onConflict((oc) => oc.columns(['block_id', 'person_id']).doNothing())
      .execute()
    const attendance = await trx
      .selectFrom('seminar_attendance')
      .select(['signed_in_at', 'signed_out_at', 'corrected_by'])
      .where('block_id', '=', row.id)
      .where('person_id', '=', person.personId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const used = await trx
      .selectFrom('seminar_checkins')
      .select('id')
      .where('block_id', '=', row.id)
      .where('person_id', '=', person.personId)
      .where('nonce', '=', nonce)
      .where('accepted', '=', true)
      .executeTakeFirst()
    if (used) return refuse('replayed')
    const done = claims.direction === 'in' ? attendance.signed_in_at : attendance.signed_out_at
    if (done !== null) return refuse('already')

    await record(true, null)
    const signedIn = claims.direction === 'in' || attendance.signed_in_at !== null
    const signedOut = claims.direction === 'out' || attendance.signed_out_at !== null
    await trx
      .updateTable('seminar_attendance')
      .set({
        ...(claims.direction === 'in' ? { signed_in_at: now } : { signed_out_at: now }),
        // A staff mark stays the answer; otherwise a block counts once both scans are in.
        ...(attendance.corrected_by === null ? { attended: signedIn && signedOut } : {}),
        updated_at: now,
      })
      .where('block_id', '=', row.id)
      .where('person_id', '=', person.personId)
      .execute()
    return ok(context)
  })
}

export type MarkCode = 'not_host' | 'not_found' | 'not_registered' | 'reason_required' | 'reason_too_long' | 'not_started'

/**
 * Host staff mark a person's attendance of a block by hand (a lost phone, a scan missed, a
 * correction), with a reason. Staff of another base get `not_host` (whether the seminar exists
 * or not) and nothing is written. Marking someone present before the block has started is
 * refused. After finalisation this is a correction: the host finalises again on the results page.
 */
export async function markAttendance(
  db: DB,
  staff: { accountId: number; baseId: number },
  seminarId: number,
  blockId: number,
  personId: number,
  attended: boolean,
  reason: string,
  now: Date,
): Promise<Result<object, MarkCode>> {
  const why = reason.trim()
  if (why === '') return err('reason_required')
  if ([...why].length > MAX_REASON) return err('reason_too_long')
  return inTransaction(db, async (trx) => {
    const seminar = await trx
      .selectFrom('seminars')
      .select('id')
      .where('id', '=', seminarId)
      .where('host_base_id', '=', staff.baseId)
      .executeTakeFirst()
    if (!seminar) return err('not_host')
    const block = await trx
      .selectFrom('seminar_blocks')
      .select(['id', 'starts_at'])
      .where('id', '=', blockId)
      .where('seminar_id', '=', seminarId)
      .executeTakeFirst()
    if (!block) return err('not_found')
    if (!(await isConfirmed(trx, seminarId, personId))) return err('not_registered')
    if (attended && now < block.starts_at) return err('not_started')

    // The table wants a direction; a staff mark is for the whole block and is filed as 'in'.
    await trx
      .insertInto('seminar_checkins')
      .values({
        block_id: blockId,
        person_id: personId,
        direction: 'in',
        method: 'staff',
        nonce: null,
        accepted: true,
        reason: why,
        actor_account_id: staff.accountId,
        at: now,
      })
      .execute()
    await trx
      .insertInto('seminar_attendance')
      .values({ block_id: blockId, person_id: personId, attended, corrected_by: staff.accountId, correction_reason: why, updated_at: now })
      .onConflict((oc) =>
        oc
          .columns(['block_id', 'person_id'])
          .doUpdateSet({ attended, corrected_by: staff.accountId, correction_reason: why, updated_at: now }),
      )
      .execute()
    await audit(trx, {
      actorAccountId: staff.accountId,
      action: 'seminar.attendance_mark',
      targetType: 'seminar',
      targetId: seminarId,
      detail: { blockId, personId, attended },
    })
    return ok()
  })
}

const count = (n: string | number | bigint | null | undefined) => Number(n ?? 0)

/** The seminars a base hosts (any status), newest first, with confirmed and waitlisted counts. */
export async function hostSeminars(db: DB, baseId: number) {
  const rows = await db
    .selectFrom('seminars as s')
    .select((eb) => [
      's.id',
      's.title',
      's.level',
      's.start_date',
      's.end_date',
      's.venue',
      's.status',
      's.capacity',
      's.declared_hours',
      's.finalised_at',
      eb
        .selectFrom('seminar_registrations as r')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('r.seminar_id', '=', 's.id')
        .where('r.status', '=', 'confirmed')
        .as('confirmed'),
      eb
        .selectFrom('seminar_registrations as r')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('r.seminar_id', '=', 's.id')
        .where('r.status', '=', 'waitlisted')
        .as('waitlisted'),
    ])
    .where('s.host_base_id', '=', baseId)
    .orderBy('s.start_date', 'desc')
    .orderBy('s.id', 'desc')
    .execute()
  return rows.map((r) => ({ ...r, confirmed: count(r.confirmed), waitlisted: count(r.waitlisted) }))
}

/** Per block of a seminar: how many signed in, signed out, and count as attended. */
export async function blockCounts(db: DB, seminarId: number) {
  const rows = await db
    .selectFrom('seminar_blocks as b')
    .leftJoin('seminar_attendance as a', 'a.block_id', 'b.id')
    .select((eb) => [
      'b.id',
      eb.fn.count<string>('a.signed_in_at').as('signed_in'),
      eb.fn.count<string>('a.signed_out_at').as('signed_out'),
      sql<string>`count(*) filter (where a.attended)`.as('attended'),
    ])
    .where('b.seminar_id', '=', seminarId)
    .groupBy('b.id')
    .execute()
  return new Map(rows.map((r) => [r.id, { signedIn: count(r.signed_in), signedOut: count(r.signed_out), attended: count(r.attended) }]))
}

/** One seminar of this base with its blocks and their counts; null when it is not this base's (or does not exist). */
export async function hostSeminar(db: DB, baseId: number, seminarId: number) {
  const seminar = await db
    .selectFrom('seminars')
    .select([
      'id',
      'title',
      'level',
      'start_date',
      'end_date',
      'venue',
      'status',
      'capacity',
      'declared_hours',
      'finalised_at',
      'attendance_revision',
    ])
    .where('id', '=', seminarId)
    .where('host_base_id', '=', baseId)
    .executeTakeFirst()
  if (!seminar) return null
  const [blocks, counts] = await Promise.all([
    db
      .selectFrom('seminar_blocks')
      .select(['id', 'starts_at', 'ends_at', 'credit_hours'])
      .where('seminar_id', '=', seminarId)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
    blockCounts(db, seminarId),
  ])
  return {
    ...seminar,
    blocks: blocks.map((b) => ({
      ...b,
      day: blockDay(b.starts_at),
      part: blockPart(b.starts_at),
      ...(counts.get(b.id) ?? { signedIn: 0, signedOut: 0, attended: 0 }),
    })),
  }
}

/** One block of this base's seminar (the venue screen); null when it is not this base's. */
export async function hostBlock(db: DB, baseId: number, seminarId: number, blockId: number) {
  const row = await db
    .selectFrom('seminar_blocks as b')
    .innerJoin('seminars as s', 's.id', 'b.seminar_id')
    .select(['b.id', 'b.starts_at', 'b.ends_at', 's.id as seminar_id', 's.title', 's.start_date'])
    .where('b.id', '=', blockId)
    .where('s.id', '=', seminarId)
    .where('s.host_base_id', '=', baseId)
    .executeTakeFirst()
  if (!row) return null
  const counts = (await blockCounts(db, seminarId)).get(blockId) ?? { signedIn: 0, signedOut: 0, attended: 0 }
  return { ...row, day: blockDay(row.starts_at), part: blockPart(row.starts_at), ...counts }
}

export type RosterEntry = {
  registrationId: number
  personId: number
  name: string
  idNumberMasked: string
  status: SeminarRegistrationStatus
  blocks: Record<number, { signedInAt: Date | null; signedOutAt: Date | null; attended: boolean; corrected: boolean }>
}

/**
 * The live registrations of a seminar (confirmed first, then by arrival), each person's ID
 * number masked and their attendance per block. Scope it by the host first (`hostSeminar`).
 */
export async function rosterWithAttendance(db: DB, seminarId: number): Promise<RosterEntry[]> {
  const [regs, attendance] = await Promise.all([
    db
      .selectFrom('seminar_registrations as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .select(['r.id', 'r.person_id', 'r.status', 'p.name', 'p.id_number_enc'])
      .where('r.seminar_id', '=', seminarId)
      .where('r.status', 'in', LIVE_STATUSES)
      .orderBy(sql`r.status = 'confirmed'`, 'desc')
      .orderBy('r.waitlist_seq')
      .execute(),
    db
      .selectFrom('seminar_attendance as a')
      .innerJoin('seminar_blocks as b', 'b.id', 'a.block_id')
      .select(['a.block_id', 'a.person_id', 'a.signed_in_at', 'a.signed_out_at', 'a.attended', 'a.corrected_by'])
      .where('b.seminar_id', '=', seminarId)
      .execute(),
  ])
  const byPerson = new Map<number, RosterEntry['blocks']>()
  for (const a of attendance) {
    const blocks = byPerson.get(a.person_id) ?? {}
    blocks[a.block_id] = {
      signedInAt: a.signed_in_at,
      signedOutAt: a.signed_out_at,
      attended: a.attended,
      corrected: a.corrected_by !== null,
    }
    byPerson.set(a.person_id, blocks)
  }
  return regs.map((r) => ({
    registrationId: r.id,
    personId: r.person_id,
    name: r.name,
    idNumberMasked: maskedIdNumber(r.id_number_enc),
    status: r.status,
    blocks: byPerson.get(r.person_id) ?? {},
  }))
}
