import { describe, expect, test } from 'vitest'

import { moveBlock, updateVenue } from '#app/domain/seminars/host-edit.server.ts'
import { register } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom } from '#test/factories/seminars.ts'

const db = () => getDb()
const MIN = 60_000

// A seminar on one day 30 days ahead (China time): a morning and an afternoon block.
const startDate = new Date(Date.now() + 30 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10)
const at = (clock: string) => new Date(`${startDate}T${clock}:00+08:00`)

/** Host and other-base staff, one confirmed participant and one on the waiting list (capacity 1). */
async function setup() {
  const { seminarId, hostBaseId } = await createSeminar(db(), {
    startDate,
    endDate: startDate,
    capacity: 1,
    blocks: [
      { startsAt: at('08:30'), endsAt: at('12:00'), creditHours: '3.5' },
      { startsAt: at('14:00'), endsAt: at('17:30'), creditHours: '3.5' },
    ],
  })
  const [morning, afternoon] = await db()
    .selectFrom('seminar_blocks')
    .select('id')
    .where('seminar_id', '=', seminarId)
    .orderBy('starts_at')
    .execute()
  const confirmed = await learnerFrom(db())
  const waiting = await learnerFrom(db())
  expect(await tx(db(), (trx) => register(trx, confirmed, seminarId, clickKey(), new Date()))).toMatchObject({ status: 'confirmed' })
  expect(await tx(db(), (trx) => register(trx, waiting, seminarId, clickKey(), new Date()))).toMatchObject({ status: 'waitlisted' })
  const host = await createStaff(db(), 'base_staff', { baseId: hostBaseId })
  const other = await createStaff(db(), 'base_staff', { baseId: await createBase(db(), '别的基地') })
  return {
    seminarId,
    morning: morning!.id,
    afternoon: afternoon!.id,
    confirmed,
    waiting,
    host: { accountId: host.accountId, baseId: hostBaseId },
    other: { accountId: other.accountId, baseId: other.baseId! },
  }
}

const editNotices = () =>
  db()
    .selectFrom('notices')
    .select(['person_id', 'kind', 'params'])
    .where('kind', 'in', ['seminar_venue_changed', 'seminar_block_moved'])
    .execute()
const editAudits = () =>
  db()
    .selectFrom('audit_log')
    .select(['action', 'actor_account_id', 'target_id', 'detail'])
    .where('action', 'in', ['seminar.venue_update', 'seminar.block_move'])
    .execute()
const blockTimes = (seminarId: number) =>
  db().selectFrom('seminar_blocks').select(['id', 'starts_at', 'ends_at']).where('seminar_id', '=', seminarId).orderBy('id').execute()
const venueOf = async (seminarId: number) =>
  (await db().selectFrom('seminars').select('venue').where('id', '=', seminarId).executeTakeFirstOrThrow()).venue

describe('host staff edit the venue', () => {
  test('a trimmed venue is saved, audited with before/after, and only confirmed participants are told', async () => {
    const s = await setup()
    const before = await venueOf(s.seminarId)
    expect(await updateVenue(db(), s.host, s.seminarId, '  长春市南关区会展大街 100 号  ', new Date())).toEqual({ ok: true, changed: true })
    expect(await venueOf(s.seminarId)).toBe('长春市南关区会展大街 100 号')
    expect(await editAudits()).toEqual([
      {
        action: 'seminar.venue_update',
        actor_account_id: s.host.accountId,
        target_id: String(s.seminarId),
        detail: { before, after: '长春市南关区会展大街 100 号' },
      },
    ])
    const notices = await editNotices()
    expect(notices).toEqual([
      {
        person_id: s.confirmed.personId,
        kind: 'seminar_venue_changed',
        params: expect.objectContaining({ seminarId: s.seminarId, venue: '长春市南关区会展大街 100 号', previous: before }),
      },
    ])

    // the same venue again changes nothing and tells nobody
    expect(await updateVenue(db(), s.host, s.seminarId, '长春市南关区会展大街 100 号', new Date())).toEqual({ ok: true, changed: false })
    expect(await editAudits()).toHaveLength(1)
    expect(await editNotices()).toHaveLength(1)
  })

  test('an empty or too long venue, or another base, is refused and nothing is written', async () => {
    const s = await setup()
    const before = await venueOf(s.seminarId)
    expect(await updateVenue(db(), s.host, s.seminarId, '   ', new Date())).toEqual({ ok: false, code: 'venue_required' })
    expect(await updateVenue(db(), s.host, s.seminarId, '地'.repeat(201), new Date())).toEqual({ ok: false, code: 'venue_too_long' })
    expect(await updateVenue(db(), s.host, s.seminarId, '地'.repeat(200), new Date())).toMatchObject({ ok: true })
    expect(await updateVenue(db(), s.other, s.seminarId, '别处', new Date())).toEqual({ ok: false, code: 'not_host' })
    expect(await updateVenue(db(), s.host, 999_999, '别处', new Date())).toEqual({ ok: false, code: 'not_host' })
    expect(await venueOf(s.seminarId)).toBe('地'.repeat(200))
    expect(before).not.toBe('地'.repeat(200))
    expect(await editAudits()).toHaveLength(1)
  })
})

describe('host staff move a block', () => {
  test('a block moved on its day is saved, audited with before/after; only confirmed participants are told', async () => {
    const s = await setup()
    const r = await moveBlock(db(), s.host, s.seminarId, s.afternoon, { startsAt: '13:30', endsAt: '17:00' }, new Date())
    expect(r).toEqual({ ok: true, changed: true })
    const blocks = await blockTimes(s.seminarId)
    expect(blocks.find((b) => b.id === s.afternoon)).toMatchObject({ starts_at: at('13:30'), ends_at: at('17:00') })
    expect(blocks.find((b) => b.id === s.morning)).toMatchObject({ starts_at: at('08:30'), ends_at: at('12:00') })
    expect(await editAudits()).toEqual([
      {
        action: 'seminar.block_move',
        actor_account_id: s.host.accountId,
        target_id: String(s.seminarId),
        detail: {
          blockId: s.afternoon,
          day: startDate,
          before: { startsAt: '14:00', endsAt: '17:30' },
          after: { startsAt: '13:30', endsAt: '17:00' },
        },
      },
    ])
    expect(await editNotices()).toEqual([
      {
        person_id: s.confirmed.personId,
        kind: 'seminar_block_moved',
        params: expect.objectContaining({ day: startDate, from: '13:30', to: '17:00', previousFrom: '14:00', previousTo: '17:30' }),
      },
    ])
    // the waiting participant is not told
    expect((await editNotices()).some((n) => n.person_id === s.waiting.personId)).toBe(false)
  })

  test('each refusal writes nothing', async () => {
    const s = await setup()
    const before = await blockTimes(s.seminarId)
    const now = new Date()
    const move = (staff: typeof s.host, blockId: number, startsAt: string, endsAt: string, when = now) =>
      moveBlock(db(), staff, s.seminarId, blockId, { startsAt, endsAt }, when)

    expect(await move(s.other, s.afternoon, '13:30', '17:00')).toEqual({ ok: false, code: 'not_host' })
    expect(await move(s.host, 999_999, '13:30', '17:00')).toEqual({ ok: false, code: 'not_found' })
    expect(await move(s.host, s.afternoon, '17:00', '13:30')).toEqual({ ok: false, code: 'bad_times' })
    expect(await move(s.host, s.afternoon, '14:00', '14:00')).toEqual({ ok: false, code: 'bad_times' })
    expect(await move(s.host, s.afternoon, '25:00', '26:00')).toEqual({ ok: false, code: 'bad_times' })
    // overlapping the morning block (ends 12:00), and the edge: touching it is fine, tested below
    expect(await move(s.host, s.morning, '09:00', '14:30')).toEqual({ ok: false, code: 'overlap' })
    expect(await move(s.host, s.afternoon, '12:00', '15:00', now)).toMatchObject({ ok: true })
    expect(await move(s.host, s.morning, '08:00', '12:30')).toEqual({ ok: false, code: 'overlap' })
    // a morning block stays in the morning
    expect(await move(s.host, s.morning, '12:30', '13:00')).toEqual({ ok: false, code: 'other_half' })
    // started: from the block's start on
    expect(await move(s.host, s.morning, '09:00', '11:00', at('08:30'))).toEqual({ ok: false, code: 'started' })
    // not started yet, but the new start would already have passed
    expect(await move(s.host, s.morning, '08:30', '11:00', at('08:40'))).toEqual({ ok: false, code: 'started' })
    expect(await move(s.host, s.morning, '07:30', '11:00', at('08:00'))).toEqual({ ok: false, code: 'past' })

    const after = await blockTimes(s.seminarId)
    expect(after.find((b) => b.id === s.morning)).toEqual(before.find((b) => b.id === s.morning))
    // only the one accepted move (afternoon to 12:00–15:00) was written
    expect(after.find((b) => b.id === s.afternoon)).toMatchObject({ starts_at: at('12:00'), ends_at: at('15:00') })
    expect(await editAudits()).toHaveLength(1)
    expect(await editNotices()).toHaveLength(1)
  })

  test('a started block is refused even a minute after its start; a minute before it may move', async () => {
    const s = await setup()
    expect(
      await moveBlock(db(), s.host, s.seminarId, s.morning, { startsAt: '09:00', endsAt: '12:00' }, new Date(at('08:30').getTime() + MIN)),
    ).toEqual({ ok: false, code: 'started' })
    expect(
      await moveBlock(db(), s.host, s.seminarId, s.morning, { startsAt: '09:00', endsAt: '12:00' }, new Date(at('08:30').getTime() - MIN)),
    ).toEqual({ ok: true, changed: true })
  })
})
