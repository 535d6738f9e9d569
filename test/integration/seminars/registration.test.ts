import { sql } from 'kysely'
import { afterAll, describe, expect, test } from 'vitest'

import {
  acceptOffer,
  cancel,
  declineOffer,
  expireOffers,
  promote,
  register,
  registrationBlockers,
  waitlistPosition,
} from '#app/domain/seminars/registration.server.ts'
import { createDb, getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { clickKey, createSeminar, learnerFrom, quotasOf, registrationsOf } from '#test/factories/seminars.ts'
import { jobIdFor, JOBS } from '#workers/jobs/contract.ts'
import { processJob } from '#workers/jobs/index.ts'

const db = () => getDb()
// Concurrency needs as many connections as racers: a pool of its own, so nobody queues for one.
const wide = createDb(process.env.DATABASE_URL!, 45)
afterAll(async () => {
  await wide.destroy()
})

const HOUR = 3600_000
const now = new Date()

async function counts() {
  const n = async (t: 'seminar_registrations' | 'seminar_registration_events' | 'notices' | 'outbox') =>
    Number(
      (
        await db()
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    registrations: await n('seminar_registrations'),
    events: await n('seminar_registration_events'),
    notices: await n('notices'),
    outbox: await n('outbox'),
  }
}

const outboxJobs = async (name: string) => db().selectFrom('outbox').select(['job_name', 'payload']).where('job_name', '=', name).execute()

describe('registration never oversells', () => {
  test('30 people at once for 1 seat: exactly 1 confirmed, 29 waitlisted with distinct increasing positions', async () => {
    const { seminarId } = await createSeminar(db(), { capacity: 1 })
    const people = await Promise.all(Array.from({ length: 30 }, () => learnerFrom(db())))
    const results = await Promise.all(people.map((p) => tx(wide, (t) => register(t, p, seminarId, clickKey(), now))))
    expect(results.every((r) => r.ok)).toBe(true)
    const regs = await registrationsOf(db(), seminarId)
    expect(regs.filter((r) => r.status === 'confirmed')).toHaveLength(1)
    const waiting = regs.filter((r) => r.status === 'waitlisted')
    expect(waiting).toHaveLength(29)
    const positions = await Promise.all(waiting.map((r) => waitlistPosition(db(), r.id)))
    expect(positions).toEqual(Array.from({ length: 29 }, (_, i) => i + 1))
    expect(await quotasOf(db(), seminarId)).toEqual({ open: { size: 1, taken: 1 } })
  })

  test('province quotas under concurrency: 3 provinces × 2 seats + 2 open, 40 people from 4 provinces → exactly 8 confirmed, none above quota', async () => {
    const { seminarId } = await createSeminar(db(), {
      capacity: 8,
      quotas: [
        { scope: 'province:11', size: 2 },
        { scope: 'province:44', size: 2 },
        { scope: 'province:22', size: 2 },
      ],
    })
    const areas = ['110105', '440305', '220102', '310104'] // 北京, 深圳, 长春, 上海 (no quota)
    const people = await Promise.all(Array.from({ length: 40 }, (_, i) => learnerFrom(db(), areas[i % 4])))
    const results = await Promise.all(people.map((p) => tx(wide, (t) => register(t, p, seminarId, clickKey(), now))))
    expect(results.every((r) => r.ok)).toBe(true)
    const regs = await registrationsOf(db(), seminarId)
    const confirmed = regs.filter((r) => r.status === 'confirmed')
    expect(confirmed).toHaveLength(8)
    expect(regs.filter((r) => r.status === 'waitlisted')).toHaveLength(32)
    // Every quota exactly full (a waitlisted person means their pools were full), none above.
    expect(await quotasOf(db(), seminarId)).toEqual({
      open: { size: 2, taken: 2 },
      'province:11': { size: 2, taken: 2 },
      'province:44': { size: 2, taken: 2 },
      'province:22': { size: 2, taken: 2 },
    })
    // Seats held per quota agree with the counters.
    const held = await db()
      .selectFrom('seminar_registrations as r')
      .innerJoin('seminar_quotas as q', 'q.id', 'r.quota_id')
      .select(['q.scope', (eb) => eb.fn.countAll<string>().as('n')])
      .where('r.seminar_id', '=', seminarId)
      .groupBy('q.scope')
      .execute()
    expect(Object.fromEntries(held.map((h) => [h.scope, Number(h.n)]))).toEqual({
      open: 2,
      'province:11': 2,
      'province:44': 2,
      'province:22': 2,
    })
  })

  test('the same click twice (also at once) is one registration; the answer is the first one', async () => {
    const { seminarId } = await createSeminar(db(), { capacity: 5 })
    const p = await learnerFrom(db())
    const key = clickKey()
    const [a, b] = await Promise.all([
      tx(wide, (t) => register(t, p, seminarId, key, now)),
      tx(wide, (t) => register(t, p, seminarId, key, now)),
    ])
    const c = await tx(db(), (t) => register(t, p, seminarId, key, now))
    expect([a, b, c].every((r) => r.ok)).toBe(true)
    const ids = new Set([a, b, c].map((r) => (r.ok ? r.registrationId : 0)))
    expect(ids.size).toBe(1)
    expect([a, b].filter((r) => r.ok && r.repeated)).toHaveLength(1)
    expect(c).toMatchObject({ ok: true, status: 'confirmed', repeated: true })
    expect(await registrationsOf(db(), seminarId)).toHaveLength(1)
    expect((await quotasOf(db(), seminarId)).open).toEqual({ size: 5, taken: 1 })
    // A key is one click of one person for one seminar.
    const other = await learnerFrom(db())
    expect(await tx(db(), (t) => register(t, other, seminarId, key, now))).toEqual({ ok: false, code: 'key_reused' })
  })

  test('registering twice (a new click) is refused; nothing changes', async () => {
    const { seminarId } = await createSeminar(db(), { capacity: 5 })
    const p = await learnerFrom(db())
    expect(await tx(db(), (t) => register(t, p, seminarId, clickKey(), now))).toMatchObject({ ok: true, status: 'confirmed' })
    const before = await counts()
    expect(await tx(db(), (t) => register(t, p, seminarId, clickKey(), now))).toEqual({ ok: false, code: 'already_registered' })
    expect(await counts()).toEqual(before)
  })
})

describe('refusals write nothing', () => {
  test('outside the window, a draft, a revoked host base', async () => {
    const p = await learnerFrom(db())
    const early = await createSeminar(db(), { opensAt: new Date(now.getTime() + HOUR) })
    const late = await createSeminar(db(), { opensAt: new Date(now.getTime() - 48 * HOUR), closesAt: now })
    const draft = await createSeminar(db(), { status: 'draft' })
    const revoked = await createSeminar(db())
    await db()
      .updateTable('bases')
      .set({ status: 'revoked', revoked_on: '2020-01-01', status_before_revocation: 'designated' })
      .where('id', '=', revoked.hostBaseId)
      .execute()
    const before = await counts()
    expect(await tx(db(), (t) => register(t, p, early.seminarId, clickKey(), now))).toEqual({ ok: false, code: 'not_open_yet' })
    expect(await tx(db(), (t) => register(t, p, late.seminarId, clickKey(), now))).toEqual({ ok: false, code: 'registration_closed' })
    expect(await tx(db(), (t) => register(t, p, draft.seminarId, clickKey(), now))).toEqual({ ok: false, code: 'not_found' })
    expect(await tx(db(), (t) => register(t, p, revoked.seminarId, clickKey(), now))).toEqual({
      ok: false,
      code: 'host_unavailable',
      gate: 'revoked',
    })
    expect(await counts()).toEqual(before)
    expect(await registrationBlockers(db(), p.personId, revoked.seminarId, now)).toEqual({ window: null, host: 'revoked', reasons: [] })
  })

  test('an ineligible person is refused with every reason, shown before the click too; nothing written', async () => {
    const { seminarId } = await createSeminar(db(), {
      level: 'provincial',
      eligibility: { levels: ['associate_senior', 'senior'], series: ['health'], regions: ['220200'] },
    })
    const p = await learnerFrom(db(), '220102', { titleLevel: 'junior', titleSeries: 'engineering', region: '220100' })
    const reasons = ['title_level', 'title_series', 'region']
    expect(await registrationBlockers(db(), p.personId, seminarId, now)).toEqual({ window: null, host: null, reasons })
    const before = await counts()
    expect(await tx(db(), (t) => register(t, p, seminarId, clickKey(), now))).toEqual({ ok: false, code: 'ineligible', reasons })
    expect(await counts()).toEqual(before)
    expect((await quotasOf(db(), seminarId)).open?.taken).toBe(0)
  })

  test('one national seminar a year (a waitlist place counts) and no overlapping dates', async () => {
    const a = await createSeminar(db(), { capacity: 1, startDate: '2027-03-01', endDate: '2027-03-03' })
    const b = await createSeminar(db(), { startDate: '2027-06-01', endDate: '2027-06-03' })
    const c = await createSeminar(db(), { level: 'provincial', startDate: '2027-03-03', endDate: '2027-03-04' })
    const first = await learnerFrom(db())
    const p = await learnerFrom(db())
    await tx(db(), (t) => register(t, first, a.seminarId, clickKey(), now))
    expect(await tx(db(), (t) => register(t, p, a.seminarId, clickKey(), now))).toMatchObject({
      ok: true,
      status: 'waitlisted',
      position: 1,
    })
    expect(await tx(db(), (t) => register(t, p, b.seminarId, clickKey(), now))).toEqual({
      ok: false,
      code: 'ineligible',
      reasons: ['national_limit'],
    })
    expect(await tx(db(), (t) => register(t, p, c.seminarId, clickKey(), now))).toEqual({
      ok: false,
      code: 'ineligible',
      reasons: ['date_overlap'],
    })
  })
})

describe('cancel and the waiting line', () => {
  async function fullSeminarWithLine(spec: Parameters<typeof createSeminar>[1] = {}, waiting = 3) {
    const { seminarId } = await createSeminar(db(), { capacity: 2, ...spec })
    const seated = [await learnerFrom(db()), await learnerFrom(db())]
    const line = []
    for (const p of seated) await tx(db(), (t) => register(t, p, seminarId, clickKey(), now))
    for (let i = 0; i < waiting; i++) {
      const p = await learnerFrom(db())
      const r = await tx(db(), (t) => register(t, p, seminarId, clickKey(), now))
      if (!r.ok) throw new Error(r.code)
      line.push({ ...p, registrationId: r.registrationId })
    }
    const regs = await registrationsOf(db(), seminarId)
    const seatOf = (personId: number) => regs.find((r) => r.person_id === personId)!.id
    return { seminarId, seated: seated.map((p) => ({ ...p, registrationId: seatOf(p.personId) })), line }
  }

  const statusOf = async (registrationId: number) =>
    (await db().selectFrom('seminar_registrations').select('status').where('id', '=', registrationId).executeTakeFirstOrThrow()).status

  test('a cancel frees the seat in its transaction and asks for a promotion; concurrent runs promote exactly one, the first in line', async () => {
    const { seminarId, seated, line } = await fullSeminarWithLine()
    expect(await tx(db(), (t) => cancel(t, seated[0]!, seated[0]!.registrationId, now))).toEqual({ ok: true })
    expect((await quotasOf(db(), seminarId)).open).toEqual({ size: 2, taken: 1 })
    expect(await outboxJobs('seminar.promote')).toEqual([{ job_name: 'seminar.promote', payload: { seminarId } }])
    // A newcomer cannot jump the line while the promotion is on its way.
    const newcomer = await learnerFrom(db())
    expect(await tx(db(), (t) => register(t, newcomer, seminarId, clickKey(), now))).toMatchObject({ status: 'waitlisted', position: 4 })

    const runs = await Promise.all(Array.from({ length: 6 }, () => promote(wide, seminarId, now)))
    expect(runs.flatMap((r) => r.promoted)).toEqual([line[0]!.registrationId])
    expect(await statusOf(line[0]!.registrationId)).toBe('confirmed')
    expect(await statusOf(line[1]!.registrationId)).toBe('waitlisted')
    expect(await waitlistPosition(db(), line[1]!.registrationId)).toBe(1)
    expect((await quotasOf(db(), seminarId)).open).toEqual({ size: 2, taken: 2 })
    // Every step is in the history and told to the person.
    const history = await db()
      .selectFrom('seminar_registration_events')
      .select(['from_status', 'to_status', 'reason'])
      .where('registration_id', '=', line[0]!.registrationId)
      .orderBy('id')
      .execute()
    expect(history).toEqual([
      { from_status: null, to_status: 'waitlisted', reason: 'register' },
      { from_status: 'waitlisted', to_status: 'confirmed', reason: 'promoted' },
    ])
    const notices = await db().selectFrom('notices').select('kind').where('person_id', '=', line[0]!.personId).orderBy('id').execute()
    expect(notices.map((n) => n.kind)).toEqual(['seminar_waitlisted', 'seminar_confirmed'])
  })

  test('two seats freed at once, promotions racing: each seat to one person, in arrival order', async () => {
    const { seminarId, seated, line } = await fullSeminarWithLine({}, 4)
    await Promise.all(seated.map((p) => tx(wide, (t) => cancel(t, p, p.registrationId, now))))
    const runs = await Promise.all(Array.from({ length: 8 }, () => promote(wide, seminarId, now)))
    expect(runs.flatMap((r) => r.promoted).sort((a, b) => a - b)).toEqual([line[0]!.registrationId, line[1]!.registrationId])
    expect(await Promise.all(line.map((l) => statusOf(l.registrationId)))).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted'])
  })

  test('a person who left the line is never served; a seat may be given back only before the cutoff', async () => {
    const { seminarId, seated, line } = await fullSeminarWithLine()
    expect(await tx(db(), (t) => cancel(t, line[0]!, line[0]!.registrationId, now))).toEqual({ ok: true })
    expect(await outboxJobs('seminar.promote')).toEqual([]) // leaving the line frees no seat
    await tx(db(), (t) => cancel(t, seated[0]!, seated[0]!.registrationId, now))
    expect((await promote(db(), seminarId, now)).promoted).toEqual([line[1]!.registrationId])
    expect(await statusOf(line[0]!.registrationId)).toBe('cancelled')
    expect(await tx(db(), (t) => cancel(t, line[0]!, line[0]!.registrationId, now))).toEqual({ ok: false, code: 'not_live' })
    // Someone else's registration is not found.
    expect(await tx(db(), (t) => cancel(t, line[2]!, seated[1]!.registrationId, now))).toEqual({ ok: false, code: 'not_found' })

    const late = new Date(now.getTime() + 40 * 24 * HOUR)
    expect(await tx(db(), (t) => cancel(t, seated[1]!, seated[1]!.registrationId, late))).toEqual({ ok: false, code: 'cutoff_passed' })
    expect(await tx(db(), (t) => cancel(t, line[2]!, line[2]!.registrationId, late))).toEqual({ ok: true })
  })

  test('no promotion after promotion_stops_at', async () => {
    const { seminarId, seated, line } = await fullSeminarWithLine({ promotionStopsAt: new Date(now.getTime() + HOUR) })
    await tx(db(), (t) => cancel(t, seated[0]!, seated[0]!.registrationId, now))
    expect(await promote(db(), seminarId, new Date(now.getTime() + HOUR))).toEqual({ promoted: [], stopped: true })
    expect(await statusOf(line[0]!.registrationId)).toBe('waitlisted')
  })

  test('offer mode: an offer, accepted; declined → the next; expired → the next; the ones who left never again', async () => {
    const { seminarId, seated, line } = await fullSeminarWithLine({ waitlistMode: 'offer', offerHours: 48 }, 4)
    await tx(db(), (t) => cancel(t, seated[0]!, seated[0]!.registrationId, now))
    expect((await promote(db(), seminarId, now)).promoted).toEqual([line[0]!.registrationId])
    const offered = await db()
      .selectFrom('seminar_registrations')
      .select(['status', 'offer_expires_at', 'quota_id'])
      .where('id', '=', line[0]!.registrationId)
      .executeTakeFirstOrThrow()
    expect(offered.status).toBe('offered')
    expect(offered.offer_expires_at?.getTime()).toBe(now.getTime() + 48 * HOUR)
    expect((await outboxJobs('seminar.expire_offers')).map((j) => j.payload)).toEqual([
      { seminarId, at: new Date(now.getTime() + 48 * HOUR).toISOString() },
    ])
    // The seat is held by the offer: nobody else is promoted meanwhile.
    expect((await promote(db(), seminarId, now)).promoted).toEqual([])
    expect(await tx(db(), (t) => acceptOffer(t, line[0]!, line[0]!.registrationId, now))).toEqual({ ok: true })
    expect(await statusOf(line[0]!.registrationId)).toBe('confirmed')
    expect(await tx(db(), (t) => acceptOffer(t, line[0]!, line[0]!.registrationId, now))).toEqual({ ok: false, code: 'not_offered' })

    // Declined: out for good, the next in line is offered.
    await tx(db(), (t) => cancel(t, seated[1]!, seated[1]!.registrationId, now))
    expect((await promote(db(), seminarId, now)).promoted).toEqual([line[1]!.registrationId])
    expect(await tx(db(), (t) => declineOffer(t, line[1]!, line[1]!.registrationId, now))).toEqual({ ok: true })
    expect((await promote(db(), seminarId, now)).promoted).toEqual([line[2]!.registrationId])

    // Expired: accepting too late is refused; the expiry run frees the seat and offers the next.
    const later = new Date(now.getTime() + 49 * HOUR)
    expect(await tx(db(), (t) => acceptOffer(t, line[2]!, line[2]!.registrationId, later))).toEqual({ ok: false, code: 'offer_expired' })
    expect(await expireOffers(db(), new Date(now.getTime() + 47 * HOUR), seminarId)).toEqual({ expired: [], promoted: [] })
    expect(await expireOffers(db(), later, seminarId)).toEqual({ expired: [line[2]!.registrationId], promoted: [line[3]!.registrationId] })
    expect(await Promise.all(line.map((l) => statusOf(l.registrationId)))).toEqual(['confirmed', 'declined', 'expired', 'offered'])

    // The line is empty; whoever declined or expired is never offered again.
    await tx(db(), (t) => cancel(t, line[0]!, line[0]!.registrationId, later))
    expect((await promote(db(), seminarId, later)).promoted).toEqual([])
    const kinds = await db().selectFrom('notices').select('kind').where('person_id', '=', line[2]!.personId).orderBy('id').execute()
    expect(kinds.map((k) => k.kind)).toEqual(['seminar_waitlisted', 'seminar_offered', 'seminar_offer_expired'])
  })
})

describe('quota release', () => {
  test('unclaimed quota seats go to everyone at release_at: the line first, then newcomers', async () => {
    const releaseAt = new Date(now.getTime() + HOUR)
    const { seminarId } = await createSeminar(db(), { capacity: 4, quotas: [{ scope: 'province:44', size: 3, releaseAt }] })
    const beijing = await Promise.all([learnerFrom(db(), '110105'), learnerFrom(db(), '110105'), learnerFrom(db(), '110105')])
    const results = []
    for (const p of beijing) results.push(await tx(db(), (t) => register(t, p, seminarId, clickKey(), now)))
    expect(results.map((r) => (r.ok ? r.status : r.code))).toEqual(['confirmed', 'waitlisted', 'waitlisted'])
    // Before release a Guangdong person still gets a Guangdong seat, waiting Beijingers notwithstanding.
    const gd = await learnerFrom(db(), '440305')
    expect(await tx(db(), (t) => register(t, gd, seminarId, clickKey(), now))).toMatchObject({ status: 'confirmed' })
    expect(await promote(db(), seminarId, now)).toEqual({ promoted: [], stopped: false })

    const after = new Date(releaseAt.getTime() + 1)
    // A newcomer after release cannot jump the line for the released seats.
    const late = await learnerFrom(db(), '110105')
    expect(await tx(db(), (t) => register(t, late, seminarId, clickKey(), after))).toMatchObject({ status: 'waitlisted', position: 3 })
    expect(await outboxJobs('seminar.promote')).toHaveLength(1) // seats are free while people wait: a promotion is asked for
    const ids = (await registrationsOf(db(), seminarId)).map((r) => r.id)
    expect((await promote(db(), seminarId, after)).promoted).toEqual([ids[1], ids[2]])
    expect(await quotasOf(db(), seminarId)).toEqual({ open: { size: 1, taken: 1 }, 'province:44': { size: 3, taken: 3 } })
  })
})

test('the registration history is append-only', async () => {
  const { seminarId } = await createSeminar(db())
  const p = await learnerFrom(db())
  await tx(db(), (t) => register(t, p, seminarId, clickKey(), now))
  await expect(sql`update seminar_registration_events set reason = 'x'`.execute(db())).rejects.toThrow(/append-only/)
  await expect(sql`delete from seminar_registration_events`.execute(db())).rejects.toThrow(/append-only/)
})

test('the database refuses a counter above its size even without the conditional update', async () => {
  const { seminarId } = await createSeminar(db(), { capacity: 1 })
  await expect(sql`update seminar_quotas set taken = 2 where seminar_id = ${seminarId}`.execute(db())).rejects.toThrow(
    /seminar_quotas_taken/,
  )
})

test('the jobs: seminar.promote and seminar.expire_offers run from their outbox payloads', async () => {
  const { seminarId } = await createSeminar(db(), { capacity: 1, waitlistMode: 'offer', offerHours: 1 })
  const [a, b, c] = [await learnerFrom(db()), await learnerFrom(db()), await learnerFrom(db())]
  const ra = await tx(db(), (t) => register(t, a, seminarId, clickKey(), now))
  await tx(db(), (t) => register(t, b, seminarId, clickKey(), now))
  await tx(db(), (t) => register(t, c, seminarId, clickKey(), now))
  if (!ra.ok) throw new Error(ra.code)
  await tx(db(), (t) => cancel(t, a, ra.registrationId, now))
  const [promoteRow] = await outboxJobs('seminar.promote')
  // The processor uses the wall clock: the offer runs an hour from now.
  expect(await processJob(db(), 'seminar.promote', promoteRow!.payload)).toMatchObject({ promoted: [expect.any(Number)] })
  const [expiry] = await outboxJobs('seminar.expire_offers')
  const at = (expiry!.payload as { at: string }).at
  expect(JOBS['seminar.expire_offers'].delayOf(expiry!.payload, new Date(Date.parse(at) - 5000))).toBe(5000)
  expect(jobIdFor('seminar.expire_offers', expiry!.payload, new Date(0))).toBe(
    `seminar.expire_offers-seminar-${seminarId}-${Date.parse(at)}-0`,
  )
  // Run early (a retry, a clock ahead of time): nothing expires.
  expect(await processJob(db(), 'seminar.expire_offers', expiry!.payload)).toEqual({ expired: [], promoted: [] })
  await expect(processJob(db(), 'seminar.promote', { seminarId: 'x' })).rejects.toThrow(/Invalid payload/)
})
