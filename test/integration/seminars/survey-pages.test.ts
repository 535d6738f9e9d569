import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'

import { register } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as survey from '#app/routes/account/seminar-survey.tsx'
import * as baseHome from '#app/routes/base/home.tsx'
import * as pkgPage from '#app/routes/base/seminar-package.tsx'
import * as roster from '#app/routes/base/seminar-roster.ts'
import * as hrBase from '#app/routes/hr/base.tsx'
import * as hrSeminar from '#app/routes/hr/seminar.tsx'
import * as hrSeminars from '#app/routes/hr/seminars.tsx'
import * as page from '#app/routes/public/seminar.tsx'
import { tx } from '#test/factories/bases.ts'
import { cookieFor, createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const HOUR = 3600_000
const DAY = 24 * HOUR
const now = new Date()
const chinaToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)

/** A one-day seminar today whose only block started an hour ago, hosted by a base of 220100. */
async function runningSeminar() {
  const baseId = await createBase(db(), `主办基地${Math.random()}`)
  const { seminarId } = await createSeminar(
    db(),
    {
      hostBaseId: baseId,
      startDate: chinaToday,
      endDate: chinaToday,
      opensAt: new Date(now.getTime() - 3 * DAY),
      closesAt: new Date(now.getTime() - 2 * DAY),
      cancelCutoffAt: new Date(now.getTime() - 2 * DAY),
      promotionStopsAt: new Date(now.getTime() - 2 * DAY),
      blocks: [{ startsAt: new Date(now.getTime() - HOUR), endsAt: new Date(now.getTime() + HOUR), creditHours: '3' }],
    },
    new Date(now.getTime() - 2.5 * DAY),
  )
  return { seminarId, baseId }
}

async function learner(seminarId: number | null, attend = true) {
  const p = await learnerFrom(db())
  if (seminarId !== null) {
    const r = await tx(db(), (trx) => register(trx, p, seminarId, clickKey(), new Date(now.getTime() - 2.5 * DAY)))
    if (!r.ok) throw new Error(r.code)
    if (attend) {
      const blocks = await db().selectFrom('seminar_blocks').select('id').where('seminar_id', '=', seminarId).execute()
      await db()
        .insertInto('seminar_attendance')
        .values(blocks.map((b) => ({ block_id: b.id, person_id: p.personId, signed_in_at: now, attended: true })))
        .execute()
    }
  }
  return { ...p, cookie: await cookieFor(db(), p.accountId) }
}

const answersForm = (n: string) => ({ content: n, teachers: n, organisation: n, venue: n, overall: n, comment: '' })
const surveyUrl = (id: number) => `/seminars/${id}/survey`
const getSurvey = (id: number, cookie?: string) => call(survey.loader, makeRequest(surveyUrl(id), { cookie }), { seminarId: String(id) })
const postSurvey = (id: number, cookie: string, form: Record<string, string>) =>
  call(survey.action, makeRequest(surveyUrl(id), { cookie, form }), { seminarId: String(id) })
const count = async (t: 'seminar_survey_answers' | 'seminar_packages') =>
  Number(
    (
      await db()
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('survey pages', () => {
  test('a participant sees the link on the seminar page, answers once, and is thanked; a second answer is refused', async () => {
    const { seminarId } = await runningSeminar()
    const p = await learner(seminarId)
    const shown = await call(page.loader, makeRequest(`/seminars/${seminarId}`, { cookie: p.cookie }), { seminarId: String(seminarId) })
    expect(shown.data.you.surveyOpen).toBe(true)
    const form = await getSurvey(seminarId, p.cookie)
    expect(form.status).toBe(200)
    expect(form.data.state).toBe('open')
    expect(form.data.questions.map((q: { id: string }) => q.id)).toEqual([
      'content',
      'teachers',
      'organisation',
      'venue',
      'overall',
      'comment',
    ])

    const bad = await postSurvey(seminarId, p.cookie, { ...answersForm('4'), venue: '' })
    expect(bad.status).toBe(400)
    expect(errorsOf(bad)).toEqual({ venue: 'seminarSurvey.err.rating' })
    expect(await count('seminar_survey_answers')).toBe(0)

    const done = await postSurvey(seminarId, p.cookie, answersForm('4'))
    expect(done.status).toBe(200)
    expect(done.data.done).toBe(true)
    expect(await count('seminar_survey_answers')).toBe(1)
    expect((await getSurvey(seminarId, p.cookie)).data.state).toBe('answered')
    const again = await postSurvey(seminarId, p.cookie, answersForm('1'))
    expect(again.status).toBe(409)
    expect(errorsOf(again)).toEqual({ _form: 'seminarSurvey.state.answered' })
    expect(await count('seminar_survey_answers')).toBe(1)
    const after = await call(page.loader, makeRequest(`/seminars/${seminarId}`, { cookie: p.cookie }), { seminarId: String(seminarId) })
    expect(after.data.you.surveyOpen).toBe(false)
  })

  test('someone who did not attend sees why and cannot answer; signed out goes to the login', async () => {
    const { seminarId } = await runningSeminar()
    const absent = await learner(seminarId, false)
    expect((await getSurvey(seminarId, absent.cookie)).data.state).toBe('not_participant')
    const shown = await call(page.loader, makeRequest(`/seminars/${seminarId}`, { cookie: absent.cookie }), {
      seminarId: String(seminarId),
    })
    expect(shown.data.you.surveyOpen).toBe(false)
    const refused = await postSurvey(seminarId, absent.cookie, answersForm('5'))
    expect(refused.status).toBe(409)
    expect(errorsOf(refused)).toEqual({ _form: 'seminarSurvey.state.not_participant' })
    expect(await count('seminar_survey_answers')).toBe(0)
    const anon = await getSurvey(seminarId)
    expect(anon.status).toBe(302)
    expect(anon.headers.get('Location')).toContain('/login')
    expect((await getSurvey(999_999, absent.cookie)).status).toBe(404)
  })
})

/** A seminar of `baseId` that ended on 29 Sep 2026 (package due 19 Oct), finalised unless told. */
async function endedSeminar(baseId: number, finalised = true) {
  const { seminarId } = await createSeminar(
    db(),
    { hostBaseId: baseId, startDate: '2026-09-28', endDate: '2026-09-29', capacity: 5 },
    new Date('2026-09-01T00:00:00+08:00'),
  )
  if (finalised) await db().updateTable('seminars').set({ finalised_at: now, attendance_revision: 1 }).where('id', '=', seminarId).execute()
  return seminarId
}

describe('package pages', () => {
  test('host staff see the due day and statistics, submit once with a confirm; another base gets not found', async () => {
    const baseId = await createBase(db(), '主办基地甲')
    const seminarId = await endedSeminar(baseId, false)
    const staff = await createStaff(db(), 'base_staff', { baseId })
    const cookie = await cookieFor(db(), staff.accountId)
    const url = `/base/seminars/${seminarId}/package`
    const params = { seminarId: String(seminarId) }
    const shown = await call(pkgPage.loader, makeRequest(url, { cookie }), params)
    expect(shown.status).toBe(200)
    expect(shown.data).toMatchObject({ dueOn: '2026-10-19', dueWorkingDays: 10, finalised: false, submitted: null })
    expect(shown.data.draft.survey).toEqual({ count: 0, min: 5, shown: false })

    const post = (form: Record<string, string>, c = cookie) => call(pkgPage.action, makeRequest(url, { cookie: c, form }), params)
    const notYet = await post({ intent: 'submit', summary: '总结', confirm: 'yes' })
    expect(notYet.status).toBe(409)
    expect(errorsOf(notYet)).toEqual({ _form: 'seminarPackage.code.not_finalised' })
    await db().updateTable('seminars').set({ finalised_at: now, attendance_revision: 1 }).where('id', '=', seminarId).execute()
    const unconfirmed = await post({ intent: 'submit', summary: '总结' })
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)).toEqual({ _form: 'err.confirm' })
    const empty = await post({ intent: 'submit', summary: '  ', confirm: 'yes' })
    expect(errorsOf(empty)).toEqual({ summary: 'seminarPackage.code.summary_required' })

    const otherStaff = await createStaff(db(), 'base_staff', { baseId: await createBase(db(), '别的基地') })
    const otherCookie = await cookieFor(db(), otherStaff.accountId)
    expect((await call(pkgPage.loader, makeRequest(url, { cookie: otherCookie }), params)).status).toBe(404)
    expect((await post({ intent: 'submit', summary: '总结', confirm: 'yes' }, otherCookie)).status).toBe(404)
    expect(
      (
        await roster
          .loader({ request: makeRequest(`/base/seminars/${seminarId}/roster.xlsx`, { cookie: otherCookie }), params, context: {} })
          .catch((r: Response) => r)
      ).status,
    ).toBe(404)
    expect(await count('seminar_packages')).toBe(0)

    const done = await post({ intent: 'submit', summary: '研修班顺利结束', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(done.data.done).toBe(true)
    const after = await call(pkgPage.loader, makeRequest(url, { cookie }), params)
    expect(after.data.submitted).toMatchObject({ summary: '研修班顺利结束', late: chinaToday > '2026-10-19' })
    expect(after.data.draft).toBeNull()
    const twice = await post({ intent: 'submit', summary: '再来', confirm: 'yes' })
    expect(errorsOf(twice)).toEqual({ _form: 'seminarPackage.code.already_submitted' })
    expect(await count('seminar_packages')).toBe(1)
  })

  test('the roster workbook shows masked ID numbers only', async () => {
    const baseId = await createBase(db(), '主办基地乙')
    const seminarId = await endedSeminar(baseId)
    const p = await learnerFrom(db())
    const r = await tx(db(), (trx) => register(trx, p, seminarId, clickKey(), new Date('2026-09-01T00:00:00+08:00')))
    expect(r.ok).toBe(true)
    const staff = await createStaff(db(), 'base_staff', { baseId })
    const res = (await roster.loader({
      request: makeRequest(`/base/seminars/${seminarId}/roster.xlsx`, { cookie: await cookieFor(db(), staff.accountId) }),
      params: { seminarId: String(seminarId) },
      context: {},
    })) as Response
    expect(res.status).toBe(200)
    const buf = Buffer.from(await res.arrayBuffer())
    expect(buf.includes(Buffer.from(p.idNumber))).toBe(false)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(buf as unknown as ArrayBuffer)
    const row = wb.worksheets[0]!.getRow(2).values as unknown[]
    expect(row[2]).toBe(`${p.idNumber.slice(0, 6)}********${p.idNumber.slice(14)}`)
    expect(row[4]).toBe('已确认')
    expect(JSON.stringify(wb.worksheets[0]!.getSheetValues())).not.toContain(p.idNumber)
  })

  test('HR of the region lists seminars with package status and reads one; another region does not see it; base pages show the late record', async () => {
    const baseId = await createBase(db(), '主办基地丙', '220100')
    const seminarId = await endedSeminar(baseId)
    const staff = await createStaff(db(), 'base_staff', { baseId })
    const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const elsewhere = await createStaff(db(), 'hr', { scopeRegion: '220200' })
    const hrCookie = await cookieFor(db(), hr.accountId)
    const list = await call(hrSeminars.loader, makeRequest('/hr/seminars', { cookie: hrCookie }))
    const expected = chinaToday > '2026-10-19' ? 'overdue' : chinaToday > '2026-09-29' ? 'due' : 'running'
    expect(list.data.seminars).toMatchObject([{ id: seminarId, dueOn: '2026-10-19', status: expected }])
    const none = await call(hrSeminars.loader, makeRequest('/hr/seminars', { cookie: await cookieFor(db(), elsewhere.accountId) }))
    expect(none.data.seminars).toEqual([])
    const params = { seminarId: String(seminarId) }
    const one = await call(hrSeminar.loader, makeRequest(`/hr/seminars/${seminarId}`, { cookie: hrCookie }), params)
    expect(one.data).toMatchObject({ status: expected, submitted: null, stats: { survey: { count: 0, shown: false } } })
    const hidden = await call(
      hrSeminar.loader,
      makeRequest(`/hr/seminars/${seminarId}`, { cookie: await cookieFor(db(), elsewhere.accountId) }),
      params,
    )
    expect(hidden.status).toBe(404)

    const home = await call(baseHome.loader, makeRequest('/base', { cookie: await cookieFor(db(), staff.accountId) }))
    if (expected === 'overdue')
      expect(home.data.packagesOpen).toEqual([{ id: seminarId, title: expect.any(String), dueOn: '2026-10-19', overdue: true }])
    const hrBasePage = await call(hrBase.loader, makeRequest(`/hr/bases/${baseId}`, { cookie: hrCookie }), { baseId: String(baseId) })
    expect(hrBasePage.data.packages).toMatchObject([{ id: seminarId, status: expected }])
  })
})
