import { describe, expect, test } from 'vitest'

import { renderCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { finaliseAttendance } from '#app/domain/seminars/attendance.server.ts'
import { planBlocks } from '#app/domain/seminars/blocks.ts'
import { submitSurvey } from '#app/domain/seminars/survey.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as mine from '#app/routes/account/seminars.tsx'
import * as results from '#app/routes/base/seminar-results.tsx'
import * as pdfRoute from '#app/routes/hours/certificate-pdf.ts'
import * as certificatesPage from '#app/routes/hours/certificates.tsx'
import * as hoursPage from '#app/routes/hours/hours.tsx'
import * as verifyPage from '#app/routes/public/verify.tsx'
import { cookieFor, createBase, createStaff } from '#test/factories/people.ts'
import { confirmedParticipant, createSeminar, markAttended } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const DAY = 24 * 3600_000
const BASE_URL = 'https://xueshi.example.cn'
const chinaDayOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)

/** 3 full days (6 blocks of 3 h) that ended two days ago, or that end tomorrow. */
async function hostedSeminar(opts: { endsInFuture?: boolean } = {}) {
  const now = new Date()
  const startDate = chinaDayOf(new Date(now.getTime() - (opts.endsInFuture ? 1 : 5) * DAY))
  const blocks = planBlocks({ startDate, fullDays: 3, halfDays: 0, declaredHours: '18' }, seminarPolicyOn(startDate).blockTimes).map(
    (b) => ({
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      creditHours: b.creditHours,
    }),
  )
  const { seminarId, hostBaseId } = await createSeminar(
    db(),
    { startDate, endDate: chinaDayOf(blocks[5]!.endsAt), blocks },
    new Date(now.getTime() - 40 * DAY),
  )
  const staff = await createStaff(db(), 'base_staff', { baseId: hostBaseId })
  return { seminarId, hostBaseId, staff, cookie: await cookieFor(db(), staff.accountId) }
}

const path = (seminarId: number) => `/base/seminars/${seminarId}/results`
const view = (seminarId: number, cookie: string) =>
  call(results.loader, makeRequest(path(seminarId), { cookie }), { seminarId: String(seminarId) })
const post = (seminarId: number, cookie: string, form: Record<string, string>) =>
  call(results.action, makeRequest(path(seminarId), { cookie, form }), { seminarId: String(seminarId) })

const entryCount = async () =>
  Number(
    (
      await db()
        .selectFrom('hour_entries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('seminar results pages', () => {
  test('host staff finalise with a confirmation; others get 404; bad input changes nothing', async () => {
    const { seminarId, cookie } = await hostedSeminar()
    const p = await confirmedParticipant(db(), seminarId)
    await markAttended(db(), seminarId, p.personId, [0, 1, 2, 3, 4])

    const page = await view(seminarId, cookie)
    expect(page.status).toBe(200)
    expect(page.data.seminar).toMatchObject({ id: seminarId, blocksTotal: 6, over: true, finalisedAt: null, changedSinceFinalised: false })
    expect(page.data.participants).toEqual([
      expect.objectContaining({ personId: p.personId, attendedNow: 5, result: null, certificate: null }),
    ])
    expect(page.data.participants[0].idNumberMasked).toMatch(/\*{8}/)
    expect(JSON.stringify(page.data)).not.toContain(p.idNumber)

    // Without the confirmation: refused, nothing written.
    const unconfirmed = await post(seminarId, cookie, { intent: 'finalise' })
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)._form).toBe('err.confirm')
    expect(await entryCount()).toBe(0)

    // Staff of another base: the seminar does not exist for them.
    const otherBase = await createBase(db(), '别的基地')
    const other = await createStaff(db(), 'base_staff', { baseId: otherBase })
    const otherCookie = await cookieFor(db(), other.accountId)
    expect((await view(seminarId, otherCookie)).status).toBe(404)
    expect((await post(seminarId, otherCookie, { intent: 'finalise', confirm: 'yes' })).status).toBe(404)
    expect((await view(999_999, cookie)).status).toBe(404)
    expect(await entryCount()).toBe(0)

    const done = await post(seminarId, cookie, { intent: 'finalise', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(done.data.done).toEqual({ revision: 1, credited: 1, reversed: 0, unchanged: 0, certificates: 1 })
    const after = await view(seminarId, cookie)
    expect(after.data.participants[0]).toMatchObject({
      result: { hours: '15', completed: true, revision: 1 },
      certificate: { status: 'pending' },
    })
    expect(after.data.seminar).toMatchObject({ revision: 1, changedSinceFinalised: false })

    // A correction after finalising: the page asks to finalise again.
    await markAttended(db(), seminarId, p.personId, [5])
    expect((await view(seminarId, cookie)).data.seminar.changedSinceFinalised).toBe(true)
  })

  test('before the last block ends the action is refused with a message', async () => {
    const { seminarId, cookie } = await hostedSeminar({ endsInFuture: true })
    const page = await view(seminarId, cookie)
    expect(page.data.seminar.over).toBe(false)
    const r = await post(seminarId, cookie, { intent: 'finalise', confirm: 'yes' })
    expect(r.status).toBe(409)
    expect(errorsOf(r)._form).toBe('seminarResults.code.not_over')
    expect(await entryCount()).toBe(0)
  })

  test('the learner sees blocks, hours and the certificate; the certificate lists, downloads and verifies', async () => {
    const { seminarId, staff } = await hostedSeminar()
    const p = await confirmedParticipant(db(), seminarId)
    const learnerCookie = await cookieFor(db(), p.accountId)
    await markAttended(db(), seminarId, p.personId, [0, 1, 2, 4, 5])

    // Started but not finalised: the survey link, no result yet.
    const before = await call(mine.loader, makeRequest('/account/seminars', { cookie: learnerCookie }))
    expect(before.data.registrations[0]).toMatchObject({ seminarId, started: true, ended: true, result: null, survey: 'open' })

    await finaliseAttendance(db(), { accountId: staff.accountId, baseId: staff.baseId! }, seminarId, new Date(), { baseUrl: BASE_URL })
    const cert = await db().selectFrom('certificates').select(['id', 'code']).where('seminar_id', '=', seminarId).executeTakeFirstOrThrow()
    expect(await renderCertificate(db(), cert.id, { baseUrl: BASE_URL })).toBe('rendered')

    const list = await call(mine.loader, makeRequest('/account/seminars', { cookie: learnerCookie }))
    const row = list.data.registrations[0]
    expect(row.result.blocks.map((b: { attended: boolean }) => b.attended)).toEqual([true, true, true, false, true, true])
    expect(row.result.blocks[0]).toMatchObject({ part: 'morning' })
    expect(row.result).toMatchObject({ hours: '15', completed: true, certificate: { id: cert.id, status: 'ready' } })
    expect(row.result.certificate.verifyPath).toMatch(/^\/verify\/[A-Z2-9]{4}-/)

    // Once answered, the survey is no longer offered.
    const answers = { content: '5', teachers: '4', organisation: '4', venue: '3', overall: '4', comment: '' }
    expect(await submitSurvey(db(), p.personId, seminarId, answers, new Date())).toEqual({ ok: true })
    const after = await call(mine.loader, makeRequest('/account/seminars', { cookie: learnerCookie }))
    expect(after.data.registrations[0].survey).toBe('answered')

    // /hours shows the seminar entry under its title.
    const year = (await db().selectFrom('hour_entries').select('ce_year').where('person_id', '=', p.personId).executeTakeFirstOrThrow())
      .ce_year
    const hours = await call(hoursPage.loader, makeRequest(`/hours?year=${year}`, { cookie: learnerCookie }))
    const seminarTitle = (await db().selectFrom('seminars').select('title').where('id', '=', seminarId).executeTakeFirstOrThrow()).title
    expect(hours.data.entries).toEqual([expect.objectContaining({ sourceKind: 'seminar', title: seminarTitle, hours: '15' })])

    // /hours/certificates lists it next to hours certificates without breaking.
    const certs = await call(certificatesPage.loader, makeRequest('/hours/certificates', { cookie: learnerCookie }))
    expect(certs.status).toBe(200)
    expect(certs.data.certificates).toEqual([
      expect.objectContaining({
        id: cert.id,
        kind: 'seminar_completion',
        seminar: { title: seminarTitle, hours: '15' },
        superseded: false,
      }),
    ])

    // The PDF for its owner, named as a completion certificate; nobody else's.
    const pdf = await call(pdfRoute.loader, makeRequest(`/certificates/${cert.id}.pdf`, { cookie: learnerCookie }), { id: String(cert.id) })
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf')
    expect(pdf.headers.get('Content-Disposition')).toContain(encodeURIComponent('结业证书'))
    const stranger = await confirmedParticipant(db(), seminarId)
    const strangerCookie = await cookieFor(db(), stranger.accountId)
    expect(
      (await call(pdfRoute.loader, makeRequest(`/certificates/${cert.id}.pdf`, { cookie: strangerCookie }), { id: String(cert.id) }))
        .status,
    ).toBe(404)

    // /verify shows the completion facts, then "superseded" after a correction that drops completion.
    const v = await call(verifyPage.loader, makeRequest(`/verify/${cert.code}`), { code: cert.code })
    expect(v.status).toBe(200)
    expect(v.data).toMatchObject({
      found: true,
      kind: 'seminar_completion',
      superseded: false,
      facts: { seminarTitle, hours: '15', blocksAttended: 5 },
    })
    await markAttended(db(), seminarId, p.personId, [0, 1], false)
    await finaliseAttendance(db(), { accountId: staff.accountId, baseId: staff.baseId! }, seminarId, new Date(), { baseUrl: BASE_URL })
    const v2 = await call(verifyPage.loader, makeRequest(`/verify/${cert.code}`), { code: cert.code })
    expect(v2.data).toMatchObject({ found: true, kind: 'seminar_completion', superseded: true })
  })
})
