import { describe, expect, test } from 'vitest'

import { createApplication, submitApplication } from '#app/domain/bases/applications.server.ts'
import { designateDue } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { type Actor, addDays } from '#app/domain/bases/lifecycle.ts'
import { requestNameChange } from '#app/domain/bases/profile.server.ts'
import { openRectification } from '#app/domain/bases/rectification.server.ts'
import { basesPolicyFile, basesPolicyOn } from '#app/domain/policy/bases-policy.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as hrBase from '#app/routes/hr/base.tsx'
import * as hrApplication from '#app/routes/hr/base-application.tsx'
import * as hrBases from '#app/routes/hr/bases.tsx'
import * as hrHome from '#app/routes/hr/home.tsx'
import { applicationInput, approvedBase, forwardedApplication, tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff, personIdOf } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

/**
 * HR of the province (scope 220000) decides on the HR pages as the admin does on /admin/bases:
 * approve or reject a forwarded application, designate a base whose notice is over. City HR
 * cannot; the HR home counts what awaits each officer in their region.
 */

const db = () => getDb()
const today = chinaDay()

async function hr(scopeRegion: string) {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  const actor = { role: 'hr', accountId: s.accountId, scopeRegion } as const satisfies Actor
  return { ...s, actor, cookie: await cookieFor(db(), s.accountId) }
}

async function people() {
  const learner = await createLearner(db())
  return {
    learner,
    applicant: { role: 'applicant', accountId: learner.accountId } as const satisfies Actor,
    city: await hr('220100'),
    otherCity: await hr('220200'),
    province: await hr('220000'),
  }
}

const stateOf = async (applicationId: number) =>
  (await db().selectFrom('base_applications').select('state').where('id', '=', applicationId).executeTakeFirstOrThrow()).state

const count = async (table: 'base_status_events' | 'bases' | 'base_members' | 'notices') =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const snapshot = async () => ({
  events: await count('base_status_events'),
  bases: await count('bases'),
  members: await count('base_members'),
  notices: await count('notices'),
})

describe('province HR decides forwarded applications on /hr/bases/applications/:id', () => {
  test('approves with a decision number: base in its notice, status event, notice to the applicant, who becomes its admin', async () => {
    const p = await people()
    const id = await forwardedApplication(db(), p.applicant, p.city.actor)
    const params = { applicationId: String(id) }
    const path = `/hr/bases/applications/${id}`

    // The province's list has it awaiting a decision; a city's list has no such section.
    const list = await call(hrBases.loader, makeRequest('/hr/bases', { cookie: p.province.cookie }))
    expect(list.data.province).toBe(true)
    expect(list.data.toDecide.map((a: { id: number }) => a.id)).toEqual([id])
    expect(list.data.awaiting.map((a: { id: number }) => a.id)).not.toContain(id)
    const cityList = await call(hrBases.loader, makeRequest('/hr/bases', { cookie: p.city.cookie }))
    expect(cityList.data.province).toBe(false)
    expect(cityList.data.toDecide).toEqual([])

    expect((await call(hrApplication.loader, makeRequest(path, { cookie: p.province.cookie }), params)).data.canDecide).toBe(true)
    expect((await call(hrApplication.loader, makeRequest(path, { cookie: p.city.cookie }), params)).data.canDecide).toBe(false)

    const approve = { intent: 'approve', decisionNumber: '吉人社基〔2026〕12号', noticeStart: today, confirm: 'yes' }
    const before = await snapshot()

    // City HR: the lifecycle's refusal, nothing written.
    const city = await call(hrApplication.action, makeRequest(path, { cookie: p.city.cookie, form: approve }), params)
    expect(city.status).toBe(403)
    // Without the confirmation step's field nothing is decided.
    const { confirm: _, ...unconfirmed } = approve
    const noConfirm = await call(hrApplication.action, makeRequest(path, { cookie: p.province.cookie, form: unconfirmed }), params)
    expect(noConfirm.status).toBe(400)
    expect(errorsOf(noConfirm)._form).toBe('err.confirm')
    // Without a decision number: refused on its field.
    const noNumber = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.province.cookie, form: { ...approve, decisionNumber: '  ' } }),
      params,
    )
    expect(noNumber.status).toBe(400)
    expect(errorsOf(noNumber).decisionNumber).toBe('baseCode.document_number_required')
    const pastStart = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.province.cookie, form: { ...approve, noticeStart: addDays(today, -1) } }),
      params,
    )
    expect(pastStart.status).toBe(400)
    expect(errorsOf(pastStart).noticeStart).toBe('baseCode.bad_date')
    expect(await stateOf(id)).toBe('forwarded')
    expect(await snapshot()).toEqual(before)

    const approved = await call(hrApplication.action, makeRequest(path, { cookie: p.province.cookie, form: approve }), params)
    expect(approved.status).toBe(200)
    expect(approved.data).toEqual({ ok: true, done: 'approve' })
    expect(await stateOf(id)).toBe('approved')

    const app = await db().selectFrom('base_applications').select('base_id').where('id', '=', id).executeTakeFirstOrThrow()
    const baseId = app.base_id!
    const { noticeDays } = basesPolicyOn(basesPolicyFile(), today)
    const base = await db()
      .selectFrom('bases')
      .select(['status', 'decision_number', 'notice_start', 'notice_end', 'region_code'])
      .where('id', '=', baseId)
      .executeTakeFirstOrThrow()
    expect(base).toEqual({
      status: 'approved',
      decision_number: '吉人社基〔2026〕12号',
      notice_start: today,
      notice_end: addDays(today, noticeDays - 1),
      region_code: '220100',
    })
    const event = await db()
      .selectFrom('base_status_events')
      .select(['from_state', 'to_state', 'actor_role', 'actor_account_id', 'document_number'])
      .where('application_id', '=', id)
      .where('event', '=', 'approve')
      .executeTakeFirstOrThrow()
    expect(event).toEqual({
      from_state: 'forwarded',
      to_state: 'approved',
      actor_role: 'hr',
      actor_account_id: p.province.accountId,
      document_number: '吉人社基〔2026〕12号',
    })
    const notices = await db()
      .selectFrom('notices')
      .select('kind')
      .where('person_id', '=', await personIdOf(db(), p.learner.accountId))
      .execute()
    expect(notices.map((n) => n.kind)).toContain('base_approved')
    const member = await db()
      .selectFrom('base_members')
      .select(['base_id', 'is_admin', 'ended_at'])
      .where('account_id', '=', p.learner.accountId)
      .executeTakeFirstOrThrow()
    expect(member).toEqual({ base_id: baseId, is_admin: true, ended_at: null })

    // Deciding twice is refused with a message.
    const again = await call(hrApplication.action, makeRequest(path, { cookie: p.province.cookie, form: approve }), params)
    expect(again.status).toBe(409)
    expect(errorsOf(again)._form).toBe('baseCode.invalid_transition')
  })

  test('rejects with a reason; without one the field is refused', async () => {
    const p = await people()
    const id = await forwardedApplication(db(), p.applicant, p.city.actor)
    const params = { applicationId: String(id) }
    const path = `/hr/bases/applications/${id}`

    const empty = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.province.cookie, form: { intent: 'reject', reason: ' ', confirm: 'yes' } }),
      params,
    )
    expect(empty.status).toBe(400)
    expect(errorsOf(empty).reason).toBe('err.required')
    const city = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.city.cookie, form: { intent: 'reject', reason: '师资不足', confirm: 'yes' } }),
      params,
    )
    expect(city.status).toBe(403)
    expect(await stateOf(id)).toBe('forwarded')

    const rejected = await call(
      hrApplication.action,
      makeRequest(path, { cookie: p.province.cookie, form: { intent: 'reject', reason: '专职师资不足，不予认定', confirm: 'yes' } }),
      params,
    )
    expect(rejected.status).toBe(200)
    expect(rejected.data).toEqual({ ok: true, done: 'reject' })
    expect(await stateOf(id)).toBe('rejected')
    const event = await db()
      .selectFrom('base_status_events')
      .select(['reason', 'actor_account_id'])
      .where('application_id', '=', id)
      .where('event', '=', 'reject')
      .executeTakeFirstOrThrow()
    expect(event).toEqual({ reason: '专职师资不足，不予认定', actor_account_id: p.province.accountId })
  })
})

describe('province HR designates a base whose notice is over on /hr/bases/:baseId', () => {
  test('offered to the province only; city HR is refused; nothing happens without the confirmation', async () => {
    const p = await people()
    const { baseId } = await approvedBase(db(), p.applicant, p.city.actor, p.province.actor, addDays(today, -40))
    const params = { baseId: String(baseId) }
    const path = `/hr/bases/${baseId}`
    expect((await call(hrBase.loader, makeRequest(path, { cookie: p.province.cookie }), params)).data.canDesignate).toBe(true)
    expect((await call(hrBase.loader, makeRequest(path, { cookie: p.city.cookie }), params)).data.canDesignate).toBe(false)

    const city = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.city.cookie, form: { intent: 'designate', confirm: 'yes' } }),
      params,
    )
    expect(city.status).toBe(403)
    const noConfirm = await call(hrBase.action, makeRequest(path, { cookie: p.province.cookie, form: { intent: 'designate' } }), params)
    expect(noConfirm.status).toBe(400)
    expect(errorsOf(noConfirm)._form).toBe('err.confirm')
    const statusOf = async () => (await db().selectFrom('bases').select('status').where('id', '=', baseId).executeTakeFirstOrThrow()).status
    expect(await statusOf()).toBe('approved')

    const done = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.province.cookie, form: { intent: 'designate', confirm: 'yes' } }),
      params,
    )
    expect(done.status).toBe(200)
    expect(done.data).toEqual({ ok: true, done: 'designate' })
    expect(await statusOf()).toBe('designated')
  })

  test('a notice not yet over cannot be designated', async () => {
    const p = await people()
    const { baseId } = await approvedBase(db(), p.applicant, p.city.actor, p.province.actor, today)
    const params = { baseId: String(baseId) }
    const path = `/hr/bases/${baseId}`
    expect((await call(hrBase.loader, makeRequest(path, { cookie: p.province.cookie }), params)).data.canDesignate).toBe(false)
    const early = await call(
      hrBase.action,
      makeRequest(path, { cookie: p.province.cookie, form: { intent: 'designate', confirm: 'yes' } }),
      params,
    )
    expect(early.status).toBe(400)
    expect(errorsOf(early)._form).toBe('baseCode.notice_not_over')
  })
})

describe('the HR home counts what awaits the officer', () => {
  test('applications to review, to decide (province), name changes pending, cases past deadline, by region', async () => {
    const p = await people()
    // Changchun: one submitted application, one forwarded, and a designated base with a pending
    // name change and a rectification case past its deadline.
    const created = await tx(db(), (t) => createApplication(t, p.applicant.accountId, applicationInput()))
    if (!created.ok) throw new Error(created.code)
    const submitted = await tx(db(), (t) => submitApplication(t, p.applicant, created.applicationId))
    if (!submitted.ok) throw new Error(submitted.code)
    const other = await createLearner(db())
    await forwardedApplication(db(), { role: 'applicant', accountId: other.accountId }, p.city.actor)

    const founder = await createLearner(db())
    const { baseId } = await approvedBase(
      db(),
      { role: 'applicant', accountId: founder.accountId },
      p.city.actor,
      p.province.actor,
      addDays(today, -60),
    )
    await designateDue(db(), { on: addDays(today, -20) })
    const opened = await tx(db(), (t) =>
      openRectification(
        t,
        p.city.actor,
        baseId,
        { findings: { faculty: '专职教师不足' }, deadline: addDays(today, -1) },
        { on: addDays(today, -15) },
      ),
    )
    if (!opened.ok) throw new Error(opened.code)
    const staff = { role: 'base_staff', accountId: founder.accountId, baseId } as const satisfies Actor
    const renamed = await tx(db(), (t) => requestNameChange(t, staff, baseId, { newName: '长春新名称职业培训学院', reason: '更名' }))
    if (!renamed.ok) throw new Error(renamed.code)

    const home = async (cookie: string) => (await call(hrHome.loader, makeRequest('/hr', { cookie }))).data.bases
    expect(await home(p.city.cookie)).toEqual({ toReview: 1, toDecide: 0, nameChanges: 1, overdue: 1 })
    expect(await home(p.otherCity.cookie)).toEqual({ toReview: 0, toDecide: 0, nameChanges: 0, overdue: 0 })
    expect(await home(p.province.cookie)).toEqual({ toReview: 1, toDecide: 1, nameChanges: 1, overdue: 1 })

    // The base list names the overdue case and the name change for the officer of its region only.
    const list = (await call(hrBases.loader, makeRequest('/hr/bases', { cookie: p.city.cookie }))).data
    expect(list.overdue.map((b: { id: number }) => b.id)).toEqual([baseId])
    expect(list.nameChanges.map((b: { id: number }) => b.id)).toEqual([baseId])
    const otherList = (await call(hrBases.loader, makeRequest('/hr/bases', { cookie: p.otherCity.cookie }))).data
    expect(otherList.overdue).toEqual([])
  })
})
