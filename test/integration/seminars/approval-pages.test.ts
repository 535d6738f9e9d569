import ExcelJS from 'exceljs'
import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { PLAN_COLUMNS } from '#app/domain/seminars/plan-import.server.ts'
import { register } from '#app/domain/seminars/registration.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as importPage from '#app/routes/admin/seminar-import.tsx'
import * as template from '#app/routes/admin/seminar-plan-template.ts'
import * as hrHome from '#app/routes/hr/home.tsx'
import * as approvals from '#app/routes/hr/seminar-approvals.tsx'
import { tx } from '#test/factories/bases.ts'
import { cookieFor, createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom, quotasOf } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()

async function hrCookie(scopeRegion: string) {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return cookieFor(db(), s.accountId)
}

async function pending() {
  const { seminarId } = await createSeminar(db(), { capacity: 3, approvalRequired: true })
  const learner = await learnerFrom(db())
  const r = await tx(db(), (t) => register(t, learner, seminarId, clickKey(), new Date()))
  if (!r.ok) throw new Error(r.code)
  return { seminarId, learner, registrationId: r.registrationId }
}

const statusOf = async (id: number) =>
  (await db().selectFrom('seminar_registrations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status

const list = (cookie: string) => call(approvals.loader, makeRequest('/hr/seminar-approvals', { cookie }))
const decide = (cookie: string, form: Record<string, string>) =>
  call(approvals.action, makeRequest('/hr/seminar-approvals', { cookie, form }))

describe('the HR approvals page', () => {
  test('lists the region’s pending registrations with the ID masked; the HR home counts them', async () => {
    const { registrationId, learner } = await pending()
    const cookie = await hrCookie('220100')
    const page = await list(cookie)
    expect(page.status).toBe(200)
    expect(page.data.rows).toHaveLength(1)
    expect(page.data.rows[0]).toMatchObject({ registrationId, overdue: false })
    expect(JSON.stringify(page.data)).not.toContain(learner.idNumber)
    const home = await call(hrHome.loader, makeRequest('/hr', { cookie }))
    expect(home.data.approvals).toBe(1)
    const elsewhere = await hrCookie('220200')
    expect((await list(elsewhere)).data.rows).toEqual([])
    expect((await call(hrHome.loader, makeRequest('/hr', { cookie: elsewhere }))).data.approvals).toBe(0)
  })

  test('approve confirms; another region’s HR is refused with nothing changed', async () => {
    const a = await pending()
    const other = await decide(await hrCookie('220200'), { intent: 'approve', registrationId: String(a.registrationId) })
    expect(other.status).toBe(403)
    expect(errorsOf(other)._form).toBe('seminarApproval.code.out_of_scope')
    expect(await statusOf(a.registrationId)).toBe('pending_approval')

    const cookie = await hrCookie('220100')
    const ok = await decide(cookie, { intent: 'approve', registrationId: String(a.registrationId) })
    expect(ok.status).toBe(200)
    expect(ok.data.done).toBe('confirmed')
    expect(await statusOf(a.registrationId)).toBe('confirmed')
    const twice = await decide(cookie, { intent: 'approve', registrationId: String(a.registrationId) })
    expect(twice.status).toBe(409)
    expect(errorsOf(twice)._form).toBe('seminarApproval.code.not_pending')
  })

  test('reject asks for the confirmation and a reason; then the seat is freed', async () => {
    const a = await pending()
    const cookie = await hrCookie('220100')
    const id = String(a.registrationId)
    const unconfirmed = await decide(cookie, { intent: 'reject', registrationId: id, reason: '名额已满' })
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)._form).toBe('err.confirm')
    const noReason = await decide(cookie, { intent: 'reject', registrationId: id, reason: '  ', confirm: 'yes' })
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason).reason).toBe('seminarApproval.code.reason_required')
    expect(await statusOf(a.registrationId)).toBe('pending_approval')

    const done = await decide(cookie, { intent: 'reject', registrationId: id, reason: '本单位已派员参加', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(done.data.done).toBe('rejected')
    expect(await statusOf(a.registrationId)).toBe('rejected')
    expect((await quotasOf(db(), a.seminarId)).open).toEqual({ size: 3, taken: 0 })
    expect((await decide(cookie, { intent: 'approve', registrationId: '999999999' })).status).toBe(404)
  })
})

function multipart(path: string, cookie: string, file: { name: string; bytes: Buffer } | null): Request {
  const form = new FormData()
  if (file) form.append('plan', new Blob([new Uint8Array(file.bytes)]), file.name)
  return new Request(`http://localhost${path}`, { method: 'POST', headers: { Cookie: cookie }, body: form })
}

describe('the plan import page', () => {
  test('the template has the headers, an example row and a notes sheet, and imports cleanly once filled in', async () => {
    const admin = await createStaff(db(), 'admin')
    const cookie = await cookieFor(db(), admin.accountId)
    const baseName = `模板基地${Date.now()}`
    await createBase(db(), baseName)
    const got = await template.loader({ request: makeRequest('/admin/seminars/plan-template.xlsx', { cookie }), params: {}, context: {} })
    expect(got.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await got.arrayBuffer())
    expect(wb.worksheets).toHaveLength(2)
    const sheet = wb.worksheets[0]!
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual(PLAN_COLUMNS.map((c) => `${c.required ? '*' : ''}${c.headers[0]}`))
    expect(sheet.getRow(2).getCell(1).value).toBe('国家级')

    // The template, saved as it came, imports (its example row becomes a draft).
    const res = await call(
      importPage.action,
      multipart('/admin/seminars/import', cookie, { name: 'plan.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) }),
    )
    expect(res.data.problems ?? []).toEqual([])
    expect(res.status).toBe(200)
    expect(res.data.created).toBe(1)
  })

  test('a bad file lists the problems in the user’s language; no file, or a learner, is refused', async () => {
    const admin = await createStaff(db(), 'admin')
    const cookie = await cookieFor(db(), admin.accountId)
    const today = chinaDay()
    const headers = PLAN_COLUMNS.map((c) => c.headers[0]).join(',')
    const cells = [
      '国家级',
      '没有这个基地',
      '研修班',
      '专业科目',
      '工程技术',
      addDays(today, 60),
      addDays(today, 62),
      '3',
      '0',
      '18',
      '长春',
      '70',
      '',
      '',
      addDays(today, 10),
      addDays(today, 40),
      addDays(today, 50),
      '',
      '',
      '',
      '',
      '',
    ]
    const bytes = Buffer.from(`${headers}\n${cells.join(',')}\n`, 'utf8')
    const res = await call(importPage.action, multipart('/admin/seminars/import', cookie, { name: 'plan.csv', bytes }))
    expect(res.status).toBe(400)
    expect(res.data.problems).toEqual([{ row: 2, column: 'host', message: '找不到这个主办基地（请填写基地全称或编号）。' }])

    const none = await call(importPage.action, multipart('/admin/seminars/import', cookie, null))
    expect(none.status).toBe(400)
    expect(errorsOf(none).plan).toBe('请选择要上传的计划文件。')

    const learner = await learnerFrom(db())
    const refused = await call(
      importPage.loader,
      makeRequest('/admin/seminars/import', { cookie: await cookieFor(db(), learner.accountId) }),
    )
    expect(refused.status).toBe(403)
  })
})
