import { describe, expect, test } from 'vitest'

import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { hostSeminar, hostSeminars, markAttendance, rosterWithAttendance, scan, venueCode } from '#app/domain/seminars/checkin.server.ts'
import { encodeToken, windowIndex, windowStart } from '#app/domain/seminars/checkin.ts'
import { register } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom } from '#test/factories/seminars.ts'

const db = () => getDb()
const MIN = 60_000
const SEC = 1000

// A seminar starting in 30 days (the policy of that day applies), one morning block on its first day.
const startDate = new Date(Date.now() + 30 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10)
const policy = seminarPolicyOn(startDate).checkin
const startsAt = new Date(`${startDate}T08:30:00+08:00`)
const endsAt = new Date(`${startDate}T12:00:00+08:00`)

async function setup() {
  const { seminarId, hostBaseId } = await createSeminar(db(), {
    startDate,
    endDate: startDate,
    blocks: [{ startsAt, endsAt, creditHours: '3.5' }],
  })
  const block = await db().selectFrom('seminar_blocks').select('id').where('seminar_id', '=', seminarId).executeTakeFirstOrThrow()
  return { seminarId, hostBaseId, blockId: block.id }
}

async function participant(seminarId: number) {
  const p = await learnerFrom(db())
  const r = await tx(db(), (trx) => register(trx, p, seminarId, clickKey(), new Date()))
  expect(r).toMatchObject({ ok: true, status: 'confirmed' })
  return p
}

/** The code the venue screen shows at `shownAt` (the MAC key is the server's). */
const codeAt = (blockId: number, direction: 'in' | 'out', shownAt: Date) =>
  venueCode({ id: blockId, seminarStartDate: startDate }, direction, shownAt, 'http://localhost').token

/** Scans the code shown at `at` itself (a fresh code), at `at`. */
const scanAt = (p: { personId: number; accountId: number }, blockId: number, direction: 'in' | 'out', at: Date) =>
  scan(db(), p, codeAt(blockId, direction, at), at)

const checkins = (personId: number) =>
  db()
    .selectFrom('seminar_checkins')
    .select(['block_id', 'direction', 'method', 'nonce', 'accepted', 'reason', 'actor_account_id'])
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
const attendance = (personId: number) =>
  db().selectFrom('seminar_attendance').selectAll().where('person_id', '=', personId).executeTakeFirst()

const inOpens = new Date(startsAt.getTime() - policy.signInOpensMinutesBefore * MIN)
const inCloses = new Date(startsAt.getTime() + policy.signInClosesMinutesAfter * MIN)
const outOpens = new Date(endsAt.getTime() - policy.signOutOpensMinutesBefore * MIN)
const outCloses = new Date(endsAt.getTime() + policy.signOutClosesMinutesAfter * MIN)

describe('venue check-in', () => {
  test('the venue code is a URL on the public address, rotating each window and valid codeValidSeconds', async () => {
    const { blockId } = await setup()
    const at = new Date(startsAt.getTime() + 7 * SEC)
    const code = venueCode({ id: blockId, seminarStartDate: startDate }, 'in', at, 'http://localhost')
    expect(code.url).toBe(`http://localhost/c/${code.token}`)
    const shown = windowStart(windowIndex(at, policy.codeRotateSeconds), policy.codeRotateSeconds).getTime()
    expect(code.nextRotationAt.getTime()).toBe(shown + policy.codeRotateSeconds * SEC)
    expect(code.expiresAt.getTime()).toBe(shown + policy.codeValidSeconds * SEC)
    expect(venueCode({ id: blockId, seminarStartDate: startDate }, 'in', code.nextRotationAt, 'http://localhost').token).not.toBe(
      code.token,
    )
    // a forged Host is never printed
    expect(() => venueCode({ id: blockId, seminarStartDate: startDate }, 'in', at, 'https://evil.example')).toThrow()
  })

  test('sign-in window edges: exactly at open and at close accepted, a second outside refused', async () => {
    const { seminarId, blockId } = await setup()
    const early = await participant(seminarId)
    expect(await scanAt(early, blockId, 'in', new Date(inOpens.getTime() - SEC))).toMatchObject({ ok: false, code: 'too_early' })
    expect(await scanAt(early, blockId, 'in', inOpens)).toMatchObject({
      ok: true,
      direction: 'in',
      block: { id: blockId, part: 'morning' },
    })
    const late = await participant(seminarId)
    expect(await scanAt(late, blockId, 'in', new Date(inCloses.getTime() + SEC))).toMatchObject({ ok: false, code: 'too_late' })
    expect(await scanAt(late, blockId, 'in', inCloses)).toMatchObject({ ok: true })
    expect((await checkins(late.personId)).map((c) => [c.accepted, c.reason])).toEqual([
      [false, 'too_late'],
      [true, null],
    ])
    expect(await attendance(late.personId)).toMatchObject({ signed_in_at: inCloses, signed_out_at: null, attended: false })
  })

  test('sign-out window edges, and a block counts only when signed in and out', async () => {
    const { seminarId, blockId } = await setup()
    const p = await participant(seminarId)
    expect(await scanAt(p, blockId, 'out', new Date(outOpens.getTime() - SEC))).toMatchObject({ ok: false, code: 'too_early' })
    expect(await scanAt(p, blockId, 'out', outOpens)).toMatchObject({ ok: true, direction: 'out' })
    expect(await attendance(p.personId)).toMatchObject({ signed_in_at: null, signed_out_at: outOpens, attended: false })

    const q = await participant(seminarId)
    expect(await scanAt(q, blockId, 'in', startsAt)).toMatchObject({ ok: true })
    expect((await attendance(q.personId))?.attended).toBe(false)
    expect(await scanAt(q, blockId, 'out', new Date(outCloses.getTime() + SEC))).toMatchObject({ ok: false, code: 'too_late' })
    expect((await attendance(q.personId))?.attended).toBe(false)
    expect(await scanAt(q, blockId, 'out', outCloses)).toMatchObject({ ok: true })
    expect((await attendance(q.personId))?.attended).toBe(true)
  })

  test('an expired code is refused (a second past codeValidSeconds), and stored so', async () => {
    const { seminarId, blockId } = await setup()
    const p = await participant(seminarId)
    const shownAt = windowStart(windowIndex(startsAt, policy.codeRotateSeconds), policy.codeRotateSeconds)
    const token = codeAt(blockId, 'in', shownAt)
    expect(await scan(db(), p, token, new Date(shownAt.getTime() + (policy.codeValidSeconds + 1) * SEC))).toMatchObject({
      ok: false,
      code: 'expired',
    })
    expect(await scan(db(), p, token, new Date(shownAt.getTime() + policy.codeValidSeconds * SEC))).toMatchObject({ ok: true })
    expect((await checkins(p.personId)).map((c) => [c.accepted, c.reason])).toEqual([
      [false, 'expired'],
      [true, null],
    ])
  })

  test('a replayed code is refused and stored with accepted=false; signing in again with another code is "already"', async () => {
    const { seminarId, blockId } = await setup()
    const p = await participant(seminarId)
    const token = codeAt(blockId, 'in', startsAt)
    expect(await scan(db(), p, token, startsAt)).toMatchObject({ ok: true })
    expect(await scan(db(), p, token, new Date(startsAt.getTime() + 5 * SEC))).toMatchObject({
      ok: false,
      code: 'replayed',
      seminar: { id: seminarId },
    })
    const next = new Date(startsAt.getTime() + policy.codeRotateSeconds * SEC)
    expect(await scanAt(p, blockId, 'in', next)).toMatchObject({ ok: false, code: 'already' })
    const rows = await checkins(p.personId)
    expect(rows.map((c) => [c.accepted, c.reason, c.method])).toEqual([
      [true, null, 'scan'],
      [false, 'replayed', 'scan'],
      [false, 'already', 'scan'],
    ])
    expect(rows[0]!.nonce).toBe(rows[1]!.nonce)
    expect(rows[0]!.nonce).toBe(`${windowIndex(startsAt, policy.codeRotateSeconds)}:in`)
    // the sign-in time is the first scan's
    expect((await attendance(p.personId))?.signed_in_at).toEqual(startsAt)

    // two taps at once: one accepted, the other refused, never two accepted rows
    const q = await participant(seminarId)
    const t2 = codeAt(blockId, 'in', startsAt)
    const both = await Promise.all([scan(db(), q, t2, startsAt), scan(db(), q, t2, startsAt)])
    expect(both.filter((r) => r.ok)).toHaveLength(1)
    expect((await checkins(q.personId)).filter((c) => c.accepted)).toHaveLength(1)
  })

  test('a forged code is refused: a bad MAC is stored against the block, garbage is stored nowhere', async () => {
    const { seminarId, blockId } = await setup()
    const p = await participant(seminarId)
    const window = windowIndex(startsAt, policy.codeRotateSeconds)
    const forged = encodeToken({ blockId, direction: 'in', window }, () => Buffer.alloc(32, 1))
    expect(await scan(db(), p, forged, startsAt)).toEqual({ ok: false, code: 'forged' })
    expect(await scan(db(), p, 'not-a-code', startsAt)).toEqual({ ok: false, code: 'forged' })
    // a genuine-looking code for a block that does not exist
    expect(
      await scan(
        db(),
        p,
        encodeToken({ blockId: 999_999, direction: 'in', window }, () => Buffer.alloc(32, 1)),
        startsAt,
      ),
    ).toEqual({
      ok: false,
      code: 'forged',
    })
    expect((await checkins(p.personId)).map((c) => [c.block_id, c.accepted, c.reason])).toEqual([[blockId, false, 'forged']])
    expect(await attendance(p.personId)).toBeUndefined()
  })

  test('a person without a confirmed registration is refused (waitlisted too), stored, no attendance', async () => {
    const { seminarId, blockId } = await setup()
    const stranger = await learnerFrom(db())
    expect(await scanAt(stranger, blockId, 'in', startsAt)).toMatchObject({ ok: false, code: 'not_registered' })
    const cancelled = await participant(seminarId)
    await db()
      .updateTable('seminar_registrations')
      .set({ status: 'waitlisted', quota_id: null })
      .where('person_id', '=', cancelled.personId)
      .execute()
    expect(await scanAt(cancelled, blockId, 'in', startsAt)).toMatchObject({ ok: false, code: 'not_registered' })
    expect((await checkins(stranger.personId)).map((c) => [c.accepted, c.reason])).toEqual([[false, 'not_registered']])
    expect(await attendance(stranger.personId)).toBeUndefined()
  })

  test('host staff mark attendance with a reason; another base is refused and nothing is written', async () => {
    const { seminarId, blockId, hostBaseId } = await setup()
    const p = await participant(seminarId)
    const host = await createStaff(db(), 'base_staff', { baseId: hostBaseId })
    const other = await createStaff(db(), 'base_staff', { baseId: await createBase(db(), '别的基地') })
    const hostActor = { accountId: host.accountId, baseId: hostBaseId }
    const during = new Date(startsAt.getTime() + 10 * MIN)

    expect(
      await markAttendance(
        db(),
        { accountId: other.accountId, baseId: other.baseId! },
        seminarId,
        blockId,
        p.personId,
        true,
        '手机没电',
        during,
      ),
    ).toEqual({
      ok: false,
      code: 'not_host',
    })
    expect(await markAttendance(db(), hostActor, seminarId, blockId, p.personId, true, '   ', during)).toEqual({
      ok: false,
      code: 'reason_required',
    })
    expect(await markAttendance(db(), hostActor, seminarId, blockId, p.personId, true, '长'.repeat(201), during)).toEqual({
      ok: false,
      code: 'reason_too_long',
    })
    expect(
      await markAttendance(db(), hostActor, seminarId, blockId, p.personId, true, '提前标记', new Date(startsAt.getTime() - SEC)),
    ).toEqual({
      ok: false,
      code: 'not_started',
    })
    const stranger = await learnerFrom(db())
    expect(await markAttendance(db(), hostActor, seminarId, blockId, stranger.personId, true, '手机没电', during)).toEqual({
      ok: false,
      code: 'not_registered',
    })
    expect(await checkins(p.personId)).toEqual([])
    expect(await attendance(p.personId)).toBeUndefined()

    expect(await markAttendance(db(), hostActor, seminarId, blockId, p.personId, true, '手机没电，现场核对', during)).toEqual({ ok: true })
    expect(await attendance(p.personId)).toMatchObject({
      attended: true,
      corrected_by: host.accountId,
      correction_reason: '手机没电，现场核对',
    })
    expect(await checkins(p.personId)).toEqual([
      {
        block_id: blockId,
        direction: 'in',
        method: 'staff',
        nonce: null,
        accepted: true,
        reason: '手机没电，现场核对',
        actor_account_id: host.accountId,
      },
    ])
    // a staff mark stays the answer: a later scan records the time, not the outcome
    expect(await markAttendance(db(), hostActor, seminarId, blockId, p.personId, false, '中途离场', during)).toEqual({ ok: true })
    expect(await scanAt(p, blockId, 'in', startsAt)).toMatchObject({ ok: true })
    expect(await scanAt(p, blockId, 'out', endsAt)).toMatchObject({ ok: true })
    expect(await attendance(p.personId)).toMatchObject({ attended: false, correction_reason: '中途离场' })
  })

  test("the host's lists are scoped by base, with counts; the roster masks ID numbers", async () => {
    const { seminarId, blockId, hostBaseId } = await setup()
    const p = await participant(seminarId)
    await scanAt(p, blockId, 'in', startsAt)
    expect(await hostSeminar(db(), 999_999, seminarId)).toBeNull()
    expect(await hostSeminars(db(), 999_999)).toEqual([])
    expect(await hostSeminars(db(), hostBaseId)).toMatchObject([{ id: seminarId, confirmed: 1, waitlisted: 0 }])
    expect((await hostSeminar(db(), hostBaseId, seminarId))?.blocks).toMatchObject([
      { id: blockId, signedIn: 1, signedOut: 0, attended: 0 },
    ])
    const roster = await rosterWithAttendance(db(), seminarId)
    expect(roster).toMatchObject([
      { personId: p.personId, status: 'confirmed', blocks: { [blockId]: { attended: false, corrected: false } } },
    ])
    expect(roster[0]!.idNumberMasked).toBe(`${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`)
  })
})
