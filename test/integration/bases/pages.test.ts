import { describe, expect, test } from 'vitest'

import { createApplication, submitApplication } from '#app/domain/bases/applications.server.ts'
import { designateDue } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { type Actor, addDays } from '#app/domain/bases/lifecycle.ts'
import { openRectification } from '#app/domain/bases/rectification.server.ts'
import { translate } from '#app/i18n/catalog.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as adminBases from '#app/routes/admin/bases.tsx'
import * as baseHome from '#app/routes/base/home.tsx'
import * as hrBase from '#app/routes/hr/base.tsx'
import * as hrApplication from '#app/routes/hr/base-application.tsx'
import * as hrBases from '#app/routes/hr/bases.tsx'
import { applicationInput, approvedBase, forwardedApplication, tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const today = chinaDay()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function staff(role: 'hr' | 'admin' | 'base_staff', opts: { scopeRegion?: string; baseId?: number } = {}) {
  const s = await createStaff(db(), role, opts)
  return { ...s, cookie: await cookieFor(db(), s.accountId) }
}

async function people() {
  const learner = await createLearner(db())
  const hr = await staff('hr', { scopeRegion: '220100' })
  const otherHr = await staff('hr', { scopeRegion: '220200' })
  const admin = await staff('admin')
  return {
    applicant: { role: 'applicant', accountId: learner.accountId } as const satisfies Actor,
    hr,
    otherHr,
    admin,
    hrActor: { role: 'hr', accountId: hr.accountId, scopeRegion: '220100' } as const satisfies Actor,
    province: { role: 'admin', accountId: admin.accountId } as const satisfies Actor,
  }
}

async function submitted(applicant: Actor & { role: 'applicant' }) {
  const created = await tx(db(), (t) => createApplication(t, applicant.accountId, applicationInput()))
  if (!created.ok) throw new Error(created.code)
  const r = await tx(db(), (t) => submitApplication(t, applicant, created.applicationId))
  if (!r.ok) throw new Error(r.code)
  return created.applicationId
}

const stateOf = async (applicationId: number) =>
  (await db().selectFrom('base_applications').select('state').where('id', '=', applicationId).executeTakeFirstOrThrow()).state

const eventCount = async () =>
  Number(
    (
      await db()
        .selectFrom('base_status_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** A designated base in Changchun with an open rectification case, and a staff member of it. */
async function baseInRectification(p: Awaited<ReturnType<typeof people>>) {
  const past = addDays(today, -30)
  const { baseId } = await approvedBase(db(), p.applicant, p.hrActor, p.province, past)
  await designateDue(db(), { on: today })
  const opened = await tx(db(), (t) =>
    openRectification(t, p.hrActor, baseId, { findings: { faculty: '专职教师不足' }, deadline: addDays(today, 30) }),
  )
  if (!opened.ok) throw new Error(opened.code)
  return { baseId, caseId: opened.caseId }
}

function answerRequest(cookie: string, answer: string, file?: Buffer) {
  const form = new FormData()
  form.append('answer', answer)
  if (file) form.append('evidence', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), '整改报告.pdf')
  return new Request('http://localhost/base', { method: 'POST', body: form, headers: { Cookie: cookie } })
}

describe('HR reviews applications through /hr/bases', () => {
  test('HR Changchun sees the application awaiting and forwards it; another region gets 404 and nothing changes', async () => {
    const p = await people()
    const id = await submitted(p.applicant)

    const list = await call(hrBases.loader, makeRequest('/hr/bases', { cookie: p.hr.cookie }))
    expect(list.status).toBe(200)
    expect(list.data.awaiting.map((a: { id: number }) => a.id)).toContain(id)
    const otherList = await call(hrBases.loader, makeRequest('/hr/bases', { cookie: p.otherHr.cookie }))
    expect(otherList.data.awaiting.map((a: { id: number }) => a.id)).not.toContain(id)

    // Another region: not found, on the page and on the action; nothing written.
    const params = { applicationId: String(id) }
    const path = `/hr/bases/applications/${id}`
    expect((await call(hrApplication.loader, makeRequest(path, { cookie: p.otherHr.cookie }), params)).status).toBe(404)
    const before = await eventCount()
    const refused = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.otherHr.cookie, form: { intent: 'forward', confirm: 'yes' } }),
      params,
    )
    expect(refused.status).toBe(404)
    expect(await stateOf(id)).toBe('submitted')
    expect(await eventCount()).toBe(before)

    // Without the confirmation nothing happens.
    const unconfirmed = await call(hrApplication.action, makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'forward' } }), params)
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)._form).toBe('err.confirm')
    expect(await stateOf(id)).toBe('submitted')

    const page = await call(hrApplication.loader, makeRequest(path, { cookie: p.hr.cookie }), params)
    expect(page.status).toBe(200)
    expect(page.data.app.state).toBe('submitted')
    const forwarded = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'forward', confirm: 'yes' } }),
      params,
    )
    expect(forwarded.status).toBe(200)
    expect(forwarded.data).toMatchObject({ ok: true, done: 'forward' })
    expect(await stateOf(id)).toBe('forwarded')

    // Deciding twice is refused with a message, not an error page.
    const again = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'forward', confirm: 'yes' } }),
      params,
    )
    expect(again.status).toBe(409)
    expect(errorsOf(again)._form).toBe('baseCode.invalid_transition')
  })

  test('a return needs a reason for at least one section, and keeps them per section', async () => {
    const p = await people()
    const id = await submitted(p.applicant)
    const params = { applicationId: String(id) }
    const path = `/hr/bases/applications/${id}`
    const empty = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'return', faculty: '  ' } }),
      params,
    )
    expect(empty.status).toBe(400)
    expect(errorsOf(empty)._form).toBe('baseCode.reason_required')
    expect(await stateOf(id)).toBe('submitted')

    const returned = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'return', faculty: '请补充师资职称证明', courses: '' } }),
      params,
    )
    expect(returned.status).toBe(200)
    const row = await db()
      .selectFrom('base_applications')
      .select(['state', 'section_reasons'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.state).toBe('returned')
    expect(row.section_reasons).toEqual({ faculty: '请补充师资职称证明' })
  })
})

describe('the province decides through /admin/bases', () => {
  test('approves a forwarded application with a decision number and notice start; the base enters its notice', async () => {
    const p = await people()
    const id = await forwardedApplication(db(), p.applicant, p.hrActor)
    const page = await call(adminBases.loader, makeRequest('/admin/bases', { cookie: p.admin.cookie }))
    expect(page.data.awaiting.map((a: { id: number }) => a.id)).toContain(id)

    const noNumber = await call(
      adminBases.action,
      makeRequest('/admin/bases', {
        cookie: p.admin.cookie,
        form: { intent: 'approve', applicationId: String(id), decisionNumber: '', noticeStart: today, confirm: 'yes' },
      }),
    )
    expect(noNumber.status).toBe(400)
    expect(errorsOf(noNumber).decisionNumber).toBe('baseCode.document_number_required')
    expect(await stateOf(id)).toBe('forwarded')

    const approved = await call(
      adminBases.action,
      makeRequest('/admin/bases', {
        cookie: p.admin.cookie,
        form: { intent: 'approve', applicationId: String(id), decisionNumber: '吉人社基〔2026〕88号', noticeStart: today, confirm: 'yes' },
      }),
    )
    expect(approved.status).toBe(200)
    expect(await stateOf(id)).toBe('approved')
    const after = await call(adminBases.loader, makeRequest('/admin/bases', { cookie: p.admin.cookie }))
    const app = await db().selectFrom('base_applications').select('base_id').where('id', '=', id).executeTakeFirstOrThrow()
    expect(after.data.inNotice.find((b: { id: number }) => b.id === app.base_id)).toMatchObject({
      decisionNumber: '吉人社基〔2026〕88号',
      due: false,
    })
  })
})

describe('HR on one base: rectification and revocation through /hr/bases/:baseId', () => {
  test('a revocation without a document number is refused with a clear message; HR of another region gets 404', async () => {
    const p = await people()
    const { baseId } = await baseInRectification(p)
    const params = { baseId: String(baseId) }
    const path = `/hr/bases/${baseId}`
    const revoke = { intent: 'revoke', reason: '整改后复查仍不合格', documentNumber: '', effectiveOn: today, confirm: 'yes' }

    const before = await eventCount()
    const refused = await call(hrBase.action, makeRequest(path, { cookie: p.hr.cookie, form: revoke }), params)
    expect(refused.status).toBe(400)
    expect(errorsOf(refused).documentNumber).toBe('baseCode.document_number_required')
    expect(translate('zh', 'baseCode.document_number_required')).toBe('请填写文号。')
    expect(translate('en', 'baseCode.document_number_required')).toBe('Enter the document number.')

    const other = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.otherHr.cookie, form: { ...revoke, documentNumber: '吉人社〔2026〕1号' } }),
      params,
    )
    expect(other.status).toBe(404)
    expect((await call(hrBase.loader, makeRequest(path, { cookie: p.otherHr.cookie }), params)).status).toBe(404)
    expect(await eventCount()).toBe(before)
    const still = await db().selectFrom('bases').select(['status', 'revoked_on']).where('id', '=', baseId).executeTakeFirstOrThrow()
    expect(still).toEqual({ status: 'rectification', revoked_on: null })

    const page = await call(hrBase.loader, makeRequest(path, { cookie: p.hr.cookie }), params)
    expect(page.status).toBe(200)
    expect(page.data.cases[0]).toMatchObject({ findings: { faculty: '专职教师不足' }, outcome: null })

    const revoked = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { ...revoke, documentNumber: '吉人社〔2026〕1号' } }),
      params,
    )
    expect(revoked.status).toBe(200)
    const row = await db()
      .selectFrom('bases')
      .select(['status', 'revoked_on', 'revocation_document'])
      .where('id', '=', baseId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'revoked', revocation_document: '吉人社〔2026〕1号' })
  })

  test('HR opens a case with findings per area; none at all is refused', async () => {
    const p = await people()
    const { baseId } = await approvedBase(db(), p.applicant, p.hrActor, p.province, addDays(today, -30))
    await designateDue(db(), { on: today })
    const params = { baseId: String(baseId) }
    const path = `/hr/bases/${baseId}`
    const none = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'open', deadline: addDays(today, 20) } }),
      params,
    )
    expect(none.status).toBe(400)
    expect(errorsOf(none)._form).toBe('baseCode.findings_required')
    const opened = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.hr.cookie, form: { intent: 'open', deadline: addDays(today, 20), capacity: '教室不足' } }),
      params,
    )
    expect(opened.status).toBe(200)
    expect((await db().selectFrom('bases').select('status').where('id', '=', baseId).executeTakeFirstOrThrow()).status).toBe(
      'rectification',
    )
  })
})

describe('the base workspace /base', () => {
  test('base staff see their case and answer it with a report and evidence; staff of another base cannot', async () => {
    const p = await people()
    const { baseId, caseId } = await baseInRectification(p)
    const own = await staff('base_staff', { baseId })
    const other = await staff('base_staff')

    const page = await call(baseHome.loader, makeRequest('/base', { cookie: own.cookie }))
    expect(page.status).toBe(200)
    expect(page.data.statusToday).toBe('rectification')
    expect(page.data.gate).toEqual({ ok: true })
    expect(page.data.cases[0]).toMatchObject({ id: caseId, outcome: null, answer: null })

    // Another base's staff act on their own base only, which has no case: refused, this case untouched.
    const refused = await call(baseHome.action, answerRequest(other.cookie, '代为提交', PDF))
    expect(refused.status).toBe(409)
    expect(errorsOf(refused)._form).toBe('baseCode.invalid_transition')
    const otherPage = await call(baseHome.loader, makeRequest('/base', { cookie: other.cookie }))
    expect(otherPage.data.cases).toEqual([])

    const empty = await call(baseHome.action, answerRequest(own.cookie, '   '))
    expect(empty.status).toBe(400)
    expect(errorsOf(empty).answer).toBe('err.required')

    const notPdf = await call(baseHome.action, answerRequest(own.cookie, '已整改', Buffer.from('just text pretending to be a PDF')))
    expect(notPdf.status).toBe(400)
    expect(errorsOf(notPdf).evidence).toBe('baseCode.file_type')

    const c0 = await db().selectFrom('rectification_cases').select(['answer']).where('id', '=', caseId).executeTakeFirstOrThrow()
    expect(c0.answer).toBeNull()

    const answered = await call(baseHome.action, answerRequest(own.cookie, '已补充三名专职教师，附聘用合同。', PDF))
    expect(answered.status).toBe(200)
    const c = await db()
      .selectFrom('rectification_cases')
      .select(['answer', 'answered_by'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow()
    expect(c).toEqual({ answer: '已补充三名专职教师，附聘用合同。', answered_by: own.accountId })
    const after = await call(baseHome.loader, makeRequest('/base', { cookie: own.cookie }))
    expect(after.data.cases[0].files).toHaveLength(1)
  })

  test('a revoked base sees from when it can no longer deliver', async () => {
    const p = await people()
    const { baseId } = await baseInRectification(p)
    const own = await staff('base_staff', { baseId })
    const revoke = { intent: 'revoke', reason: '复查不合格', documentNumber: '吉人社〔2026〕9号', effectiveOn: today, confirm: 'yes' }
    const r = await call(hrBase.action, makeRequest(`/hr/bases/${baseId}`, { cookie: p.hr.cookie, form: revoke }), {
      baseId: String(baseId),
    })
    expect(r.status).toBe(200)
    const page = await call(baseHome.loader, makeRequest('/base', { cookie: own.cookie }))
    expect(page.data.statusToday).toBe('revoked')
    expect(page.data.gate).toEqual({ ok: false, code: 'revoked' })
    expect(page.data.history.map((h: { event: string }) => h.event)).toContain('revoke')
  })
})
