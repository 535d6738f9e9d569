/**
 * The public registry (/bases, /bases/:baseId) and applying online (/bases/apply,
 * /bases/applications/:id), through the routes' loaders and actions with real Requests.
 */
import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as application from '#app/routes/account/base-application.tsx'
import * as apply from '#app/routes/account/base-apply.tsx'
import * as basePage from '#app/routes/public/base.tsx'
import * as registry from '#app/routes/public/bases.tsx'
import { applicationInput, approvedBase, makeCreditCode } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function learner() {
  const l = await createLearner(db())
  return { ...l, cookie: await cookieFor(db(), l.accountId) }
}

const formFor = (overrides: Record<string, string> = {}) => ({
  intent: 'save',
  institutionName: `吉林页面测试培训中心${Date.now()}`,
  creditCode: makeCreditCode(),
  regionCode: '220100',
  trainingFields: 'engineering',
  classrooms: '4',
  seats: '120',
  onlinePlatform: 'yes',
  faculty: '王老师，教授，土木工程\n李老师，高级工程师，岩土工程',
  courses: 'BIM技术应用，专业，24\n职业道德，公需，6',
  contactName: '赵联系',
  contactPhone: '13912345678',
  contactEmail: '',
  ...overrides,
})

function uploadRequest(id: number, cookie: string, file: { name: string; type: string; bytes: Uint8Array }) {
  const form = new FormData()
  form.append('intent', 'upload')
  form.append('material', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  return new Request(`http://localhost/bases/applications/${id}`, { method: 'POST', body: form, headers: { Cookie: cookie } })
}

const idFrom = (location: string | null) => Number(/\/bases\/applications\/(\d+)$/.exec(location ?? '')?.[1])

describe('the public registry', () => {
  test('lists a base in public notice, found by name, filtered by status, with its page public and cacheable', async () => {
    const applicant = await createLearner(db())
    const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const admin = await createStaff(db(), 'admin')
    const name = `名录检索测试学院${Date.now()}`
    const { baseId } = await approvedBase(
      db(),
      { role: 'applicant', accountId: applicant.accountId },
      { role: 'hr', accountId: hr.accountId, scopeRegion: '220100' },
      { role: 'admin', accountId: admin.accountId },
      chinaDay(),
      applicationInput({ institutionName: name }),
    )

    const found = await call(registry.loader, makeRequest(`/bases?q=${encodeURIComponent(name)}`))
    expect(found.status).toBe(200)
    expect(found.data.bases).toEqual([expect.objectContaining({ id: baseId, name, status: 'in_notice', fields: ['工程技术'] })])

    const inNotice = await call(registry.loader, makeRequest(`/bases?q=${encodeURIComponent(name)}&status=in_notice&region=220100`))
    expect(inNotice.data.bases.map((b: { id: number }) => b.id)).toEqual([baseId])
    const designated = await call(registry.loader, makeRequest(`/bases?q=${encodeURIComponent(name)}&status=designated`))
    expect(designated.data.bases).toEqual([])
    // An unknown status or region is ignored rather than an error.
    const odd = await call(registry.loader, makeRequest(`/bases?q=${encodeURIComponent(name)}&status=nope&region=x`))
    expect(odd.data.query).toEqual({ q: name, region: '', status: '' })
    expect(odd.data.bases).toHaveLength(1)

    const page = await call(basePage.loader, makeRequest(`/bases/${baseId}`), { baseId: String(baseId) })
    expect(page.status).toBe(200)
    expect(page.headers.get('Cache-Control')).toBe('public, max-age=60')
    expect(page.data).toMatchObject({ name, status: 'in_notice' })
    expect(page.data.decisionNumber).toMatch(/吉人社基/)
    expect(page.data.history.map((h: { event: string }) => h.event)).toEqual(['create', 'submit', 'forward', 'approve'])
    expect(registry.headers({} as never)).toEqual({ 'Cache-Control': 'public, max-age=60' })
  })

  test('a base that does not exist, or an id that is not a number → 404', async () => {
    expect((await call(basePage.loader, makeRequest('/bases/999999999'), { baseId: '999999999' })).status).toBe(404)
    expect((await call(basePage.loader, makeRequest('/bases/abc'), { baseId: 'abc' })).status).toBe(404)
  })
})

describe('applying online', () => {
  test('create → upload a PDF → submit (confirmed) → an edit is refused and nothing changes', async () => {
    const me = await learner()
    const form = formFor()
    const created = await call(apply.action, makeRequest('/bases/apply', { form, cookie: me.cookie }))
    expect(created.status).toBe(303)
    const id = idFrom(created.headers.get('Location'))
    expect(id).toBeGreaterThan(0)

    const row = await db().selectFrom('base_applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ state: 'draft', institution_name: form.institutionName, classrooms: 4, seats: 120, online_platform: true })
    expect(row.faculty).toEqual([
      { name: '王老师', title: '教授', field: '土木工程' },
      { name: '李老师', title: '高级工程师', field: '岩土工程' },
    ])
    expect(row.courses).toEqual([
      { title: 'BIM技术应用', category: 'professional', hours: 24 },
      { title: '职业道德', category: 'public', hours: 6 },
    ])

    const params = { applicationId: String(id) }
    const uploaded = await call(
      application.action,
      uploadRequest(id, me.cookie, { name: 'licence.pdf', type: 'application/pdf', bytes: PDF }),
      params,
    )
    expect(uploaded.data).toMatchObject({ intent: 'upload', ok: true })

    const page = await call(application.loader, makeRequest(`/bases/applications/${id}`, { cookie: me.cookie }), params)
    expect(page.data).toMatchObject({ state: 'draft', editable: true, files: [expect.objectContaining({ filename: 'licence.pdf' })] })
    expect(page.data.values.faculty).toBe('王老师，教授，土木工程\n李老师，高级工程师，岩土工程')

    const unconfirmed = await call(
      application.action,
      makeRequest(`/bases/applications/${id}`, { form: { intent: 'submit' }, cookie: me.cookie }),
      params,
    )
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)).toEqual({ _form: 'err.confirm' })

    const submitted = await call(
      application.action,
      makeRequest(`/bases/applications/${id}`, { form: { intent: 'submit', confirm: 'yes' }, cookie: me.cookie }),
      params,
    )
    expect(submitted.data).toMatchObject({ intent: 'submit', ok: true })

    const edit = await call(
      application.action,
      makeRequest(`/bases/applications/${id}`, {
        form: formFor({ institutionName: '改过的名字', creditCode: form.creditCode }),
        cookie: me.cookie,
      }),
      params,
    )
    expect(edit.status).toBe(409)
    expect(errorsOf(edit)).toEqual({ _form: 'err.base.not_editable' })
    const late = await call(
      application.action,
      uploadRequest(id, me.cookie, { name: 'more.pdf', type: 'application/pdf', bytes: PDF }),
      params,
    )
    expect(errorsOf(late)).toEqual({ _form: 'err.base.not_editable' })
    const after = await db().selectFrom('base_applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ state: 'submitted', institution_name: form.institutionName })
    expect(await db().selectFrom('base_files').select('id').where('application_id', '=', id).execute()).toHaveLength(1)

    const readOnly = await call(application.loader, makeRequest(`/bases/applications/${id}`, { cookie: me.cookie }), params)
    expect(readOnly.data).toMatchObject({ state: 'submitted', editable: false })
    expect(readOnly.data.history.map((h: { event: string }) => h.event)).toEqual(['create', 'submit'])

    // Someone else's application does not exist for them.
    const other = await learner()
    const theirs = await call(application.loader, makeRequest(`/bases/applications/${id}`, { cookie: other.cookie }), params)
    expect(theirs.status).toBe(404)
  })

  test('a wrong credit-code check character is a field error, and nothing is created', async () => {
    const me = await learner()
    const good = makeCreditCode()
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const r = await call(apply.action, makeRequest('/bases/apply', { form: formFor({ creditCode: wrong }), cookie: me.cookie }))
    expect(r.status).toBe(400)
    expect(errorsOf(r)).toEqual({ creditCode: 'err.creditCode.checksum' })
    expect(await db().selectFrom('base_applications').select('id').where('applicant_account_id', '=', me.accountId).execute()).toEqual([])
  })

  test('list lines that do not parse and empty counts are field errors on their own fields', async () => {
    const me = await learner()
    const r = await call(
      apply.action,
      makeRequest('/bases/apply', {
        form: formFor({ faculty: '只有名字', courses: '课程，其他，abc', seats: '', contactPhone: '123' }),
        cookie: me.cookie,
      }),
    )
    expect(r.status).toBe(400)
    expect(errorsOf(r)).toMatchObject({
      faculty: 'err.base.facultyLine',
      courses: 'err.base.courseLine',
      seats: 'err.base.count',
      contactPhone: 'err.phone',
    })
  })

  test('a "PDF" that is not one is refused by its content, and nothing is stored', async () => {
    const me = await learner()
    const created = await call(apply.action, makeRequest('/bases/apply', { form: formFor(), cookie: me.cookie }))
    const id = idFrom(created.headers.get('Location'))
    const r = await call(
      application.action,
      uploadRequest(id, me.cookie, { name: 'licence.pdf', type: 'application/pdf', bytes: Buffer.from('MZ this is an executable') }),
      { applicationId: String(id) },
    )
    expect(r.status).toBe(400)
    expect(errorsOf(r)).toEqual({ material: 'err.base.file_type' })
    expect(await db().selectFrom('base_files').select('id').where('application_id', '=', id).execute()).toEqual([])
  })

  test('withdrawing asks first, then ends the application', async () => {
    const me = await learner()
    const created = await call(apply.action, makeRequest('/bases/apply', { form: formFor(), cookie: me.cookie }))
    const id = idFrom(created.headers.get('Location'))
    const r = await call(
      application.action,
      makeRequest(`/bases/applications/${id}`, { form: { intent: 'withdraw', confirm: 'yes' }, cookie: me.cookie }),
      { applicationId: String(id) },
    )
    expect(r.data).toMatchObject({ intent: 'withdraw', ok: true })
    const row = await db().selectFrom('base_applications').select('state').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.state).toBe('withdrawn')
  })
})
