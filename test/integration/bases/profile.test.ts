import { describe, expect, test } from 'vitest'

import { createApplication } from '#app/domain/bases/applications.server.ts'
import { designateDue } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { type Actor, addDays } from '#app/domain/bases/lifecycle.ts'
import type { ProfileInput } from '#app/domain/bases/profile.schema.ts'
import { decideNameChange, requestNameChange, updateProfile, withdrawNameChange } from '#app/domain/bases/profile.server.ts'
import { openRectification, revokeBase } from '#app/domain/bases/rectification.server.ts'
import { listRegistry } from '#app/domain/bases/registry.server.ts'
import { creditCodeCheckChar } from '#app/domain/shared/id-number.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as baseProfile from '#app/routes/base/profile.tsx'
import * as hrBase from '#app/routes/hr/base.tsx'
import * as hrBases from '#app/routes/hr/bases.tsx'
import * as publicBase from '#app/routes/public/base.tsx'
import { applicationInput, approvedBase, makeCreditCode, tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const today = chinaDay()

const PROFILE: ProfileInput = {
  intro: '长春测试职业培训学院面向工程系列专业技术人员开展继续教育。',
  address: '长春市南关区人民大街 1 号',
  website: 'https://example.edu.cn/training',
  publicPhone: '0431-88888888',
  trainingFields: ['engineering', 'education'],
}

/** A designated base in Changchun (fields: engineering) with one staff member; HR of Changchun and of Jilin City; the province. */
async function world() {
  const learner = await createLearner(db())
  const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
  const otherHr = await createStaff(db(), 'hr', { scopeRegion: '220200' })
  const admin = await createStaff(db(), 'admin')
  const applicant = { role: 'applicant', accountId: learner.accountId } as const satisfies Actor
  const hrActor = { role: 'hr', accountId: hr.accountId, scopeRegion: '220100' } as const satisfies Actor
  const province = { role: 'admin', accountId: admin.accountId } as const satisfies Actor
  const input = applicationInput({ trainingFields: ['engineering'] })
  const { baseId } = await approvedBase(db(), applicant, hrActor, province, addDays(today, -30), input)
  await designateDue(db(), { on: today })
  const staff = await createStaff(db(), 'base_staff', { baseId })
  return {
    baseId,
    creditCode: input.creditCode,
    name: input.institutionName,
    applicant,
    hr: { ...hr, actor: hrActor },
    otherHr: { ...otherHr, actor: { role: 'hr', accountId: otherHr.accountId, scopeRegion: '220200' } as const satisfies Actor },
    province,
    staff: { ...staff, actor: { role: 'base_staff', accountId: staff.accountId, baseId } as const satisfies Actor },
  }
}

const baseRow = (id: number) =>
  db()
    .selectFrom('bases')
    .select(['name', 'credit_code', 'intro', 'address', 'website', 'public_phone', 'training_fields', 'profile_updated_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

const editEvents = (baseId: number) =>
  db()
    .selectFrom('base_status_events')
    .select(['from_state', 'to_state', 'actor_role', 'reason', 'document_number', 'detail'])
    .where('base_id', '=', baseId)
    .where('event', '=', 'edit')
    .orderBy('id')
    .execute()

/** A valid credit code whose check character is replaced by a wrong one. */
function wrongCheckChar(code: string): string {
  const first17 = code.slice(0, 17)
  const right = creditCodeCheckChar(first17)
  return first17 + (right === '0' ? '1' : '0')
}

describe('a base edits its public profile', () => {
  test('its staff save it: stored, shown by the registry and the public page, recorded as an edit event and audited', async () => {
    const w = await world()
    // The approval copied the fields applied for.
    expect((await baseRow(w.baseId)).training_fields).toEqual(['engineering'])

    const r = await tx(db(), (t) => updateProfile(t, w.staff.actor, w.baseId, PROFILE))
    expect(r).toEqual({ ok: true, changed: ['intro', 'address', 'website', 'publicPhone', 'trainingFields'] })
    expect(await baseRow(w.baseId)).toMatchObject({
      intro: PROFILE.intro,
      address: PROFILE.address,
      website: PROFILE.website,
      public_phone: PROFILE.publicPhone,
      training_fields: ['engineering', 'education'],
    })
    expect(await editEvents(w.baseId)).toEqual([
      {
        from_state: 'designated',
        to_state: 'designated',
        actor_role: 'base_staff',
        reason: null,
        document_number: null,
        detail: { fields: ['intro', 'address', 'website', 'publicPhone', 'trainingFields'] },
      },
    ])
    const audited = await db().selectFrom('audit_log').select('actor_account_id').where('action', '=', 'base.profile.update').execute()
    expect(audited.map((a) => Number(a.actor_account_id))).toEqual([w.staff.accountId])

    const [entry] = (await listRegistry(db(), { q: w.creditCode })).filter((e) => e.id === w.baseId)
    expect(entry).toMatchObject({ trainingFields: ['engineering', 'education'], intro: PROFILE.intro, website: PROFILE.website })
    const page = await call(publicBase.loader, makeRequest(`/bases/${w.baseId}`), { baseId: String(w.baseId) })
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({
      intro: PROFILE.intro,
      address: PROFILE.address,
      website: PROFILE.website,
      phone: PROFILE.publicPhone,
    })

    // Saving the same again changes nothing and records nothing.
    expect(await tx(db(), (t) => updateProfile(t, w.staff.actor, w.baseId, PROFILE))).toEqual({ ok: true, changed: [] })
    expect(await editEvents(w.baseId)).toHaveLength(1)
  })

  test('staff of another base, HR and the applicant are refused; nothing changes', async () => {
    const w = await world()
    const other = await createStaff(db(), 'base_staff')
    const before = await baseRow(w.baseId)
    const otherActor = { role: 'base_staff', accountId: other.accountId, baseId: other.baseId! } as const satisfies Actor
    for (const actor of [otherActor, w.hr.actor, w.province, w.applicant] as Actor[])
      expect(await tx(db(), (t) => updateProfile(t, actor, w.baseId, PROFILE))).toEqual({ ok: false, code: 'forbidden' })
    expect(await baseRow(w.baseId)).toEqual(before)
    expect(await editEvents(w.baseId)).toEqual([])
  })

  test('a revoked base is read-only', async () => {
    const w = await world()
    const opened = await tx(db(), (t) =>
      openRectification(t, w.hr.actor, w.baseId, { findings: { faculty: '师资不足' }, deadline: addDays(today, 30) }),
    )
    expect(opened.ok).toBe(true)
    const revoked = await tx(db(), (t) =>
      revokeBase(t, w.hr.actor, w.baseId, { reason: '整改不到位', documentNumber: '吉人社基〔2026〕99号', effectiveOn: today }),
    )
    expect(revoked.ok).toBe(true)
    const before = await baseRow(w.baseId)
    expect(await tx(db(), (t) => updateProfile(t, w.staff.actor, w.baseId, PROFILE))).toEqual({ ok: false, code: 'read_only' })
    expect(await tx(db(), (t) => requestNameChange(t, w.staff.actor, w.baseId, { newName: '新名称', reason: '更名' }))).toEqual({
      ok: false,
      code: 'read_only',
    })
    expect(await baseRow(w.baseId)).toEqual(before)
  })

  test('a bad website, a bad phone, empty fields and no training field are refused with their codes', async () => {
    const w = await world()
    const before = await baseRow(w.baseId)
    const bad = await tx(db(), (t) =>
      updateProfile(t, w.staff.actor, w.baseId, {
        ...PROFILE,
        intro: '  ',
        address: '',
        website: 'javascript:alert(1)',
        publicPhone: 'call us',
        trainingFields: [],
      }),
    )
    expect(bad).toMatchObject({
      ok: false,
      code: 'invalid',
      errors: {
        intro: ['err.required'],
        address: ['err.required'],
        website: ['err.baseProfile.website'],
        publicPhone: ['err.baseProfile.phone'],
        trainingFields: ['err.base.fieldsRequired'],
      },
    })
    const tooLong = await tx(db(), (t) =>
      updateProfile(t, w.staff.actor, w.baseId, { ...PROFILE, intro: '字'.repeat(2001), trainingFields: ['astrology'] }),
    )
    expect(tooLong).toMatchObject({
      ok: false,
      code: 'invalid',
      errors: { intro: ['err.tooLong'], 'trainingFields.0': ['err.base.field'] },
    })
    // No website at all is fine.
    expect(await tx(db(), (t) => updateProfile(t, w.staff.actor, w.baseId, { ...PROFILE, website: '' }))).toMatchObject({ ok: true })
    expect((await baseRow(w.baseId)).website).toBeNull()
    expect(before.website).toBeNull()
  })
})

describe('a change of name or credit code goes through HR', () => {
  test('request → HR of the region approves → renamed, edit event, notice to the base, audited; the registry shows the new name', async () => {
    const w = await world()
    const newCode = makeCreditCode()
    const asked = await tx(db(), (t) =>
      requestNameChange(t, w.staff.actor, w.baseId, {
        newName: '长春新名称培训学院',
        newCreditCode: newCode.toLowerCase(),
        reason: '工商变更登记',
      }),
    )
    expect(asked).toMatchObject({ ok: true })
    if (!asked.ok) return
    // Nothing changes until HR decides.
    expect((await baseRow(w.baseId)).name).toBe(w.name)

    // HR of another region: not found, nothing changes.
    expect(await tx(db(), (t) => decideNameChange(t, w.otherHr.actor, asked.requestId, { approve: true, reason: '' }))).toEqual({
      ok: false,
      code: 'not_found',
    })
    // The base's own staff cannot decide it.
    expect(await tx(db(), (t) => decideNameChange(t, w.staff.actor, asked.requestId, { approve: true, reason: '' }))).toEqual({
      ok: false,
      code: 'forbidden',
    })
    expect((await baseRow(w.baseId)).name).toBe(w.name)

    expect(await tx(db(), (t) => decideNameChange(t, w.hr.actor, asked.requestId, { approve: true, reason: '' }))).toEqual({ ok: true })
    expect(await baseRow(w.baseId)).toMatchObject({ name: '长春新名称培训学院', credit_code: newCode })
    expect(await editEvents(w.baseId)).toEqual([
      {
        from_state: 'designated',
        to_state: 'designated',
        actor_role: 'hr',
        reason: '工商变更登记',
        document_number: null,
        detail: { name: { from: w.name, to: '长春新名称培训学院' }, creditCode: { from: w.creditCode, to: newCode } },
      },
    ])
    const notices = await db().selectFrom('notices').select(['kind', 'params']).where('person_id', '=', w.staff.personId).execute()
    expect(notices).toContainEqual({
      kind: 'base_name_change_approved',
      params: { name: w.name, newName: '长春新名称培训学院', newCreditCode: newCode, reason: '—' },
    })
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'base.name_change.%')
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(['base.name_change.request', 'base.name_change.approve'])
    expect((await listRegistry(db(), { q: newCode })).map((e) => e.name)).toEqual(['长春新名称培训学院'])

    // Decided once: a second decision is refused.
    expect(await tx(db(), (t) => decideNameChange(t, w.hr.actor, asked.requestId, { approve: false, reason: 'x' }))).toEqual({
      ok: false,
      code: 'not_pending',
    })
  })

  test('a wrong check character, the current code, another base’s code and an open application’s code are refused', async () => {
    const w = await world()
    const other = await world()
    const req = (input: Record<string, string>) =>
      tx(db(), (t) => requestNameChange(t, w.staff.actor, w.baseId, { reason: '更名', ...input }))

    expect(await req({ newCreditCode: wrongCheckChar(makeCreditCode()) })).toMatchObject({
      ok: false,
      code: 'invalid',
      errors: { newCreditCode: ['err.creditCode.checksum'] },
    })
    expect(await req({ newCreditCode: w.creditCode })).toMatchObject({ ok: false, code: 'same_credit_code' })
    expect(await req({ newCreditCode: other.creditCode })).toMatchObject({ ok: false, code: 'credit_code_taken' })
    const pendingApp = applicationInput()
    expect(await tx(db(), (t) => createApplication(t, w.applicant.accountId, pendingApp))).toMatchObject({ ok: true })
    expect(await req({ newCreditCode: pendingApp.creditCode })).toMatchObject({ ok: false, code: 'credit_code_taken' })
    expect(await req({ newName: w.name })).toEqual({ ok: false, code: 'no_change' })
    expect(await req({ reason: '' })).toMatchObject({ ok: false, code: 'invalid', errors: { reason: ['err.required'] } })
    expect(await db().selectFrom('base_name_changes').select('id').execute()).toEqual([])
  })

  test('one pending request at a time; withdraw; a rejection needs a reason and keeps the name', async () => {
    const w = await world()
    const first = await tx(db(), (t) => requestNameChange(t, w.staff.actor, w.baseId, { newName: '名称甲', reason: '更名' }))
    expect(first.ok).toBe(true)
    if (!first.ok) return
    expect(await tx(db(), (t) => requestNameChange(t, w.staff.actor, w.baseId, { newName: '名称乙', reason: '更名' }))).toEqual({
      ok: false,
      code: 'name_change_pending',
    })
    expect(await tx(db(), (t) => withdrawNameChange(t, w.hr.actor, first.requestId))).toEqual({ ok: false, code: 'forbidden' })
    expect(await tx(db(), (t) => withdrawNameChange(t, w.staff.actor, first.requestId))).toEqual({ ok: true })

    const second = await tx(db(), (t) => requestNameChange(t, w.staff.actor, w.baseId, { newName: '名称乙', reason: '更名' }))
    expect(second.ok).toBe(true)
    if (!second.ok) return
    expect(await tx(db(), (t) => decideNameChange(t, w.hr.actor, second.requestId, { approve: false, reason: '  ' }))).toEqual({
      ok: false,
      code: 'reason_required',
    })
    expect(
      await tx(db(), (t) => decideNameChange(t, w.province, second.requestId, { approve: false, reason: '未见工商变更材料' })),
    ).toEqual({ ok: true })
    expect((await baseRow(w.baseId)).name).toBe(w.name)
    expect(await editEvents(w.baseId)).toEqual([])
    const states = await db().selectFrom('base_name_changes').select('state').orderBy('id').execute()
    expect(states.map((s) => s.state)).toEqual(['withdrawn', 'rejected'])
    const notices = await db().selectFrom('notices').select('kind').where('person_id', '=', w.staff.personId).execute()
    expect(notices.map((n) => n.kind)).toContain('base_name_change_rejected')
  })
})

describe('pages: /base/profile and the HR decision on /hr/bases/:baseId', () => {
  test('staff save the profile and request a rename; HR sees it awaiting and approves it; another region gets 404', async () => {
    const w = await world()
    const cookie = await cookieFor(db(), w.staff.accountId)
    const page = await call(baseProfile.loader, makeRequest('/base/profile', { cookie }))
    expect(page.status).toBe(200)
    expect(page.data.defaults.trainingFields).toEqual(['engineering'])

    const bad = await call(
      baseProfile.action,
      makeRequest('/base/profile', {
        cookie,
        form: {
          intent: 'profile',
          intro: '简介',
          address: '地址',
          website: 'ftp://x',
          publicPhone: '0431-88888888',
          trainingFields: 'health',
        },
      }),
    )
    expect(bad.status).toBe(400)
    expect(errorsOf(bad)).toEqual({ website: 'err.baseProfile.website' })

    const saved = await call(
      baseProfile.action,
      makeRequest('/base/profile', {
        cookie,
        form: { intent: 'profile', intro: '简介', address: '地址', website: '', publicPhone: '0431-88888888', trainingFields: 'health' },
      }),
    )
    expect(saved.data).toEqual({ ok: true, done: 'profile' })
    expect((await baseRow(w.baseId)).training_fields).toEqual(['health'])

    const renamed = await call(
      baseProfile.action,
      makeRequest('/base/profile', { cookie, form: { intent: 'rename', newName: '页面新名称', reason: '更名' } }),
    )
    expect(renamed.data).toEqual({ ok: true, done: 'rename' })
    const again = await call(
      baseProfile.action,
      makeRequest('/base/profile', { cookie, form: { intent: 'rename', newName: '又一个名称', reason: '更名' } }),
    )
    expect(again.status).toBe(409)
    expect(errorsOf(again)._form).toBe('baseProfile.code.name_change_pending')

    const hrCookie = await cookieFor(db(), w.hr.accountId)
    const list = await call(hrBases.loader, makeRequest('/hr/bases', { cookie: hrCookie }))
    expect(list.data.nameChanges.map((b: { id: number }) => b.id)).toEqual([w.baseId])
    const params = { baseId: String(w.baseId) }
    const hrPage = await call(hrBase.loader, makeRequest(`/hr/bases/${w.baseId}`, { cookie: hrCookie }), params)
    expect(hrPage.data.nameChange).toMatchObject({ newName: '页面新名称', reason: '更名' })
    const requestId = String(hrPage.data.nameChange.id)

    const otherCookie = await cookieFor(db(), w.otherHr.accountId)
    const refused = await call(
      hrBase.action,
      makeRequest(`/hr/bases/${w.baseId}`, { cookie: otherCookie, form: { intent: 'name-change', requestId, decision: 'approve' } }),
      params,
    )
    expect(refused.status).toBe(404)
    const noReason = await call(
      hrBase.action,
      makeRequest(`/hr/bases/${w.baseId}`, {
        cookie: hrCookie,
        form: { intent: 'name-change', requestId, decision: 'reject', reason: '' },
      }),
      params,
    )
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason).reason).toBe('err.required')
    expect((await baseRow(w.baseId)).name).toBe(w.name)

    const approved = await call(
      hrBase.action,
      makeRequest(`/hr/bases/${w.baseId}`, { cookie: hrCookie, form: { intent: 'name-change', requestId, decision: 'approve' } }),
      params,
    )
    expect(approved.data).toEqual({ ok: true, done: 'name-change' })
    expect((await baseRow(w.baseId)).name).toBe('页面新名称')
    const after = await call(baseProfile.loader, makeRequest('/base/profile', { cookie }))
    expect(after.data.changes[0]).toMatchObject({ state: 'approved', newName: '页面新名称' })
  })
})
