import { describe, expect, test } from 'vitest'

import { register } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as checkin from '#app/routes/account/checkin.tsx'
import * as page from '#app/routes/base/seminar.tsx'
import * as qr from '#app/routes/base/seminar-qr.tsx'
import * as list from '#app/routes/base/seminars.tsx'
import { tx } from '#test/factories/bases.ts'
import { cookieFor, createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const MIN = 60_000

/** A seminar whose one block runs now (sign-in open), a confirmed participant, host staff and another base's staff. */
async function running() {
  const now = Date.now()
  const { seminarId, hostBaseId } = await createSeminar(db(), {
    blocks: [{ startsAt: new Date(now - 10 * MIN), endsAt: new Date(now + 180 * MIN), creditHours: '3.5' }],
  })
  const blockId = (await db().selectFrom('seminar_blocks').select('id').where('seminar_id', '=', seminarId).executeTakeFirstOrThrow()).id
  const learner = await learnerFrom(db())
  expect(await tx(db(), (trx) => register(trx, learner, seminarId, clickKey(), new Date()))).toMatchObject({ status: 'confirmed' })
  const host = await createStaff(db(), 'base_staff', { baseId: hostBaseId })
  const other = await createStaff(db(), 'base_staff', { baseId: await createBase(db(), '别的基地') })
  return {
    seminarId,
    blockId,
    learner: { ...learner, cookie: await cookieFor(db(), learner.accountId) },
    host: { ...host, cookie: await cookieFor(db(), host.accountId) },
    other: { ...other, cookie: await cookieFor(db(), other.accountId) },
  }
}

const seminarPage = (seminarId: number, cookie: string) =>
  call(page.loader, makeRequest(`/base/seminars/${seminarId}`, { cookie }), { seminarId: String(seminarId) })
const mark = (seminarId: number, cookie: string, form: Record<string, string>) =>
  call(page.action, makeRequest(`/base/seminars/${seminarId}`, { cookie, form: { intent: 'mark', ...form } }), {
    seminarId: String(seminarId),
  })
const qrPage = (seminarId: number, blockId: number, dir: string, cookie: string) =>
  call(qr.loader, makeRequest(`/base/seminars/${seminarId}/blocks/${blockId}/qr?dir=${dir}`, { cookie }), {
    seminarId: String(seminarId),
    blockId: String(blockId),
  })
const open = (token: string, cookie?: string) => call(checkin.loader, makeRequest(`/c/${token}`, { cookie }), { code: token })

describe('host seminar pages and scanning', () => {
  test('host staff see their seminars and the roster (masked IDs); another base gets 404, a learner 403', async () => {
    const s = await running()
    const mine = await call(list.loader, makeRequest('/base/seminars', { cookie: s.host.cookie }))
    expect(mine.data.seminars).toMatchObject([{ id: s.seminarId, confirmed: 1, waitlisted: 0 }])
    const theirs = await call(list.loader, makeRequest('/base/seminars', { cookie: s.other.cookie }))
    expect(theirs.data.seminars).toEqual([])

    const shown = await seminarPage(s.seminarId, s.host.cookie)
    expect(shown.status).toBe(200)
    expect(shown.data.blocks).toMatchObject([{ id: s.blockId, signedIn: 0, signedOut: 0 }])
    expect(shown.data.roster).toMatchObject([
      { personId: s.learner.personId, status: 'confirmed', idNumberMasked: expect.stringContaining('********') },
    ])
    expect(JSON.stringify(shown.data)).not.toContain(s.learner.idNumber)

    expect((await seminarPage(s.seminarId, s.other.cookie)).status).toBe(404)
    expect((await seminarPage(999_999, s.host.cookie)).status).toBe(404)
    expect((await seminarPage(s.seminarId, s.learner.cookie)).status).toBe(403)
    expect((await qrPage(s.seminarId, s.blockId, 'in', s.other.cookie)).status).toBe(404)
    expect((await qrPage(s.seminarId, s.blockId, 'in', s.learner.cookie)).status).toBe(403)
    expect((await qrPage(s.seminarId, s.blockId, 'sideways', s.host.cookie)).status).toBe(400)
  })

  test('the venue screen shows a QR of the /c/ URL; the learner opens it signed in and is signed in; again is refused', async () => {
    const s = await running()
    const screen = await qrPage(s.seminarId, s.blockId, 'in', s.host.cookie)
    expect(screen.status).toBe(200)
    expect(screen.data.url).toMatch(/^http:\/\/localhost\/c\/[A-Za-z0-9_-]{38}$/)
    expect(screen.data.svg).toContain('<svg')
    expect(screen.data.signedIn).toBe(0)
    expect(Date.parse(screen.data.nextRotationAt)).toBeGreaterThan(Date.parse(screen.data.now))
    const token = (screen.data.url as string).split('/c/')[1]!

    // signed out: to the login page, coming back to the same code
    const anon = await open(token)
    expect(anon.status).toBe(302)
    expect(anon.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/c/${token}`)}`)
    expect(await db().selectFrom('seminar_checkins').select('id').execute()).toEqual([])

    const done = await open(token, s.learner.cookie)
    expect(done.status).toBe(200)
    expect(done.data).toMatchObject({ ok: true, direction: 'in', seminar: { id: s.seminarId }, block: { part: expect.any(String) } })
    const again = await open(token, s.learner.cookie)
    expect(again.status).toBe(400)
    expect(again.data).toMatchObject({ ok: false, code: 'replayed', seminar: { id: s.seminarId } })
    expect((await open('forged-code', s.learner.cookie)).data).toMatchObject({ ok: false, code: 'forged', seminar: null })
    // staff cannot scan (a learner's page)
    expect((await open(token, s.host.cookie)).status).toBe(403)

    expect((await qrPage(s.seminarId, s.blockId, 'in', s.host.cookie)).data.signedIn).toBe(1)
  })

  test('marking needs a reason; another base is refused (404) and nothing is written; the host marks and the roster shows it', async () => {
    const s = await running()
    const form = { blockId: String(s.blockId), personId: String(s.learner.personId), attended: 'yes' }
    const noReason = await mark(s.seminarId, s.host.cookie, { ...form, reason: '' })
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason)).toEqual({ reason: 'seminarHost.code.reason_required' })
    expect((await mark(s.seminarId, s.other.cookie, { ...form, reason: '手机没电' })).status).toBe(404)
    expect(await db().selectFrom('seminar_attendance').select('person_id').execute()).toEqual([])
    expect(await db().selectFrom('seminar_checkins').select('id').execute()).toEqual([])

    const done = await mark(s.seminarId, s.host.cookie, { ...form, reason: '手机没电，现场核对' })
    expect(done.status).toBe(200)
    expect(done.data).toMatchObject({ done: true, key: `${s.learner.personId}-${s.blockId}` })
    const shown = await seminarPage(s.seminarId, s.host.cookie)
    expect(shown.data.roster[0].blocks[String(s.blockId)]).toMatchObject({ attended: true, corrected: true })
    expect(shown.data.blocks[0]).toMatchObject({ attended: 1 })
  })
})

describe('host staff change the venue and block times on the seminar page', () => {
  /** A seminar 30 days ahead (default blocks 08:30–12:00 and 14:00–17:30 each day), a confirmed learner, host and other staff. */
  async function upcoming() {
    const { seminarId, hostBaseId } = await createSeminar(db(), {})
    const blocks = await db()
      .selectFrom('seminar_blocks')
      .select(['id', 'starts_at'])
      .where('seminar_id', '=', seminarId)
      .orderBy('starts_at')
      .execute()
    const learner = await learnerFrom(db())
    expect(await tx(db(), (trx) => register(trx, learner, seminarId, clickKey(), new Date()))).toMatchObject({ status: 'confirmed' })
    const host = await createStaff(db(), 'base_staff', { baseId: hostBaseId })
    const other = await createStaff(db(), 'base_staff', { baseId: await createBase(db(), '别的基地') })
    return { seminarId, blocks, learner, host: await cookieFor(db(), host.accountId), other: await cookieFor(db(), other.accountId) }
  }
  const post = (seminarId: number, cookie: string, form: Record<string, string>) =>
    call(page.action, makeRequest(`/base/seminars/${seminarId}`, { cookie, form }), { seminarId: String(seminarId) })
  const venueOf = async (seminarId: number) =>
    (await db().selectFrom('seminars').select('venue').where('id', '=', seminarId).executeTakeFirstOrThrow()).venue
  const notices = () => db().selectFrom('notices').select(['person_id', 'kind']).where('kind', 'like', 'seminar_%_changed').execute()

  test('the page offers a time form for blocks not started; the venue is changed with a clear answer, bad input changes nothing', async () => {
    const s = await upcoming()
    const shown = await seminarPage(s.seminarId, s.host)
    expect(shown.data.blocks[0]).toMatchObject({ started: false, startClock: '08:30', endClock: '12:00' })

    const empty = await post(s.seminarId, s.host, { intent: 'venue', venue: '   ' })
    expect(empty.status).toBe(400)
    expect(errorsOf(empty)).toEqual({ venue: 'seminarHost.code.venue_required' })
    const long = await post(s.seminarId, s.host, { intent: 'venue', venue: '地'.repeat(201) })
    expect(long.status).toBe(400)
    expect(errorsOf(long)).toEqual({ venue: 'seminarHost.code.venue_too_long' })
    expect((await post(s.seminarId, s.other, { intent: 'venue', venue: '别处' })).status).toBe(404)
    expect(await venueOf(s.seminarId)).toBe('长春市人民大街 1 号')
    expect(await notices()).toEqual([])

    const done = await post(s.seminarId, s.host, { intent: 'venue', venue: ' 吉林省人才大厦 3 楼 ' })
    expect(done.status).toBe(200)
    expect(done.data).toMatchObject({ key: 'venue', done: true, unchanged: false })
    expect(await venueOf(s.seminarId)).toBe('吉林省人才大厦 3 楼')
    expect(await notices()).toEqual([{ person_id: s.learner.personId, kind: 'seminar_venue_changed' }])
  })

  test('a block is moved through the form; bad times, an overlap and another base are refused with nothing changed', async () => {
    const s = await upcoming()
    const [morning] = s.blocks
    const move = (cookie: string, blockId: number, startsAt: string, endsAt: string) =>
      post(s.seminarId, cookie, { intent: 'move', blockId: String(blockId), startsAt, endsAt })

    const garbled = await move(s.host, morning!.id, '8.30', '12:00')
    expect(garbled.status).toBe(400)
    expect(errorsOf(garbled)).toEqual({ startsAt: 'seminarHost.code.bad_clock' })
    const backwards = await move(s.host, morning!.id, '11:00', '09:00')
    expect(backwards.status).toBe(400)
    expect(errorsOf(backwards)).toEqual({ endsAt: 'seminarHost.code.bad_times' })
    const overlap = await move(s.host, morning!.id, '09:00', '14:30')
    expect(overlap.status).toBe(409)
    expect(errorsOf(overlap)).toEqual({ _form: 'seminarHost.code.overlap' })
    expect((await move(s.other, morning!.id, '09:00', '12:00')).status).toBe(404)
    expect(
      (await db().selectFrom('seminar_blocks').select('starts_at').where('id', '=', morning!.id).executeTakeFirstOrThrow()).starts_at,
    ).toEqual(morning!.starts_at)
    expect(await notices()).toEqual([])

    const done = await move(s.host, morning!.id, '09:00', '12:00')
    expect(done.status).toBe(200)
    expect(done.data).toMatchObject({ key: `move-${morning!.id}`, done: true })
    const shown = await seminarPage(s.seminarId, s.host)
    expect(shown.data.blocks[0]).toMatchObject({ id: morning!.id, startClock: '09:00', endClock: '12:00' })
    expect(await db().selectFrom('notices').select('kind').where('kind', '=', 'seminar_block_moved').execute()).toHaveLength(1)
  })
})
