import { describe, expect, test } from 'vitest'

import { designateDue } from '#app/domain/bases/decisions.server.ts'
import { chinaDay } from '#app/domain/bases/events.server.ts'
import { addDays } from '#app/domain/bases/lifecycle.ts'
import { membershipOf } from '#app/domain/bases/members.server.ts'
import { openRectification, revokeBase } from '#app/domain/bases/rectification.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as invitationsPage from '#app/routes/account/base-invitations.tsx'
import * as baseHome from '#app/routes/base/home.tsx'
import * as staffPage from '#app/routes/base/staff.tsx'
import { approvedBase, tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const today = chinaDay()

/** A base approved from a learner's application: the applicant becomes its first admin (ADR 0020). */
async function baseWithApplicantAdmin() {
  const learner = await createLearner(db())
  const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
  const admin = await createStaff(db(), 'admin')
  const base = await approvedBase(
    db(),
    { role: 'applicant', accountId: learner.accountId },
    { role: 'hr', accountId: hr.accountId, scopeRegion: '220100' },
    { role: 'admin', accountId: admin.accountId },
    addDays(today, -30),
  )
  return { learner, hr, admin, baseId: base.baseId, cookie: await cookieFor(db(), learner.accountId) }
}

const invite = (cookie: string, phone: string, isAdmin = false) =>
  call(staffPage.action, makeRequest('/base/staff', { form: { intent: 'invite', phone, ...(isAdmin ? { isAdmin: 'on' } : {}) }, cookie }))

async function openInvitationId(accountId: number) {
  const row = await db()
    .selectFrom('base_invitations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('outcome', 'is', null)
    .executeTakeFirstOrThrow()
  return row.id
}

const counts = async () => {
  const [m, i] = await Promise.all([
    db()
      .selectFrom('base_members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db()
      .selectFrom('base_invitations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { members: Number(m.n), invitations: Number(i.n) }
}

describe('base staff as memberships', () => {
  test('the applicant of an approved base becomes its admin and keeps their learner account and hours pages', async () => {
    const { learner, baseId, cookie } = await baseWithApplicantAdmin()
    expect(await membershipOf(db(), learner.accountId)).toEqual({ baseId, isAdmin: true })
    const role = await db().selectFrom('accounts').select('role').where('id', '=', learner.accountId).executeTakeFirstOrThrow()
    expect(role.role).toBe('learner')
    const home = await call(baseHome.loader, makeRequest('/base', { cookie }))
    expect(home.status).toBe(200)
    expect(home.data.base.id).toBe(baseId)
  })

  test('an admin invites a registered colleague; the colleague accepts and acts for the base; their own hours stay theirs', async () => {
    const { baseId, cookie } = await baseWithApplicantAdmin()
    const colleague = await createLearner(db())
    const colleagueCookie = await cookieFor(db(), colleague.accountId)
    // not yet a member
    expect((await call(staffPage.loader, makeRequest('/base/staff', { cookie: colleagueCookie }))).status).toBe(403)

    const sent = await invite(cookie, colleague.phone)
    expect(sent.data).toMatchObject({ done: 'invited' })
    const notice = await db()
      .selectFrom('notices')
      .select(['kind'])
      .where('person_id', '=', colleague.personId)
      .where('kind', '=', 'base_invitation')
      .execute()
    expect(notice).toHaveLength(1)

    const page = await call(invitationsPage.loader, makeRequest('/account/base-invitations', { cookie: colleagueCookie }))
    expect(page.data.invitations).toHaveLength(1)
    const invitationId = await openInvitationId(colleague.accountId)
    const accepted = await call(
      invitationsPage.action,
      makeRequest('/account/base-invitations', { form: { intent: 'accept', invitationId: String(invitationId) }, cookie: colleagueCookie }),
    )
    expect(accepted.data).toEqual({ done: 'accepted' })
    expect(await membershipOf(db(), colleague.accountId)).toEqual({ baseId, isAdmin: false })
    expect((await call(baseHome.loader, makeRequest('/base', { cookie: colleagueCookie }))).status).toBe(200)
    // not an admin: sees the list, cannot invite
    const list = await call(staffPage.loader, makeRequest('/base/staff', { cookie: colleagueCookie }))
    expect(list.data.isAdmin).toBe(false)
    expect(list.data.members).toHaveLength(2)
    const someone = await createLearner(db())
    const refused = await invite(colleagueCookie, someone.phone)
    expect(refused.status).toBe(403)
    expect(errorsOf(refused)._form).toBe('membersCode.not_admin')
  })

  test('refusals: unknown phone, HR account, already a member, member elsewhere, second open invitation — each changes nothing', async () => {
    const { cookie, learner } = await baseWithApplicantAdmin()
    const other = await baseWithApplicantAdmin()
    const hrAccount = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const colleague = await createLearner(db())
    expect((await invite(cookie, colleague.phone)).data).toMatchObject({ done: 'invited' })
    const before = await counts()
    const cases: [string, string][] = [
      ['13800000000', 'membersCode.no_account'],
      [hrAccount.phone, 'membersCode.not_eligible'],
      [learner.phone, 'membersCode.already_member'],
      [other.learner.phone, 'membersCode.member_elsewhere'],
      [colleague.phone, 'membersCode.already_invited'],
    ]
    for (const [phone, code] of cases) {
      const r = await invite(cookie, phone)
      expect(r.status, code).toBe(400)
      expect(errorsOf(r).phone).toBe(code)
    }
    const bad = await invite(cookie, '12345')
    expect(errorsOf(bad).phone).toBe('err.phone')
    expect(await counts()).toEqual(before)
  })

  test('one base at a time: accepting a second base is refused while a member of the first', async () => {
    const a = await baseWithApplicantAdmin()
    const b = await baseWithApplicantAdmin()
    const colleague = await createLearner(db())
    const colleagueCookie = await cookieFor(db(), colleague.accountId)
    await invite(a.cookie, colleague.phone)
    await invite(b.cookie, colleague.phone)
    const [first, second] = await db()
      .selectFrom('base_invitations')
      .select(['id', 'base_id'])
      .where('account_id', '=', colleague.accountId)
      .orderBy('id')
      .execute()
    const answer = (id: number) =>
      call(
        invitationsPage.action,
        makeRequest('/account/base-invitations', { form: { intent: 'accept', invitationId: String(id) }, cookie: colleagueCookie }),
      )
    expect((await answer(first!.id)).data).toEqual({ done: 'accepted' })
    const refused = await answer(second!.id)
    expect(refused.status).toBe(409)
    expect(refused.data).toEqual({ error: 'membersCode.member_elsewhere' })
    expect(await membershipOf(db(), colleague.accountId)).toEqual({ baseId: a.baseId, isAdmin: false })
  })

  test("someone else's invitation, or a cancelled one, cannot be answered", async () => {
    const { cookie } = await baseWithApplicantAdmin()
    const colleague = await createLearner(db())
    const stranger = await createLearner(db())
    await invite(cookie, colleague.phone)
    const id = await openInvitationId(colleague.accountId)
    const strangerTry = await call(
      invitationsPage.action,
      makeRequest('/account/base-invitations', {
        form: { intent: 'accept', invitationId: String(id) },
        cookie: await cookieFor(db(), stranger.accountId),
      }),
    )
    expect(strangerTry.status).toBe(404)
    expect(await membershipOf(db(), stranger.accountId)).toBeNull()
    const cancelled = await call(
      staffPage.action,
      makeRequest('/base/staff', { form: { intent: 'cancel', invitationId: String(id) }, cookie }),
    )
    expect(cancelled.data).toMatchObject({ done: 'cancelled' })
    const late = await call(
      invitationsPage.action,
      makeRequest('/account/base-invitations', {
        form: { intent: 'accept', invitationId: String(id) },
        cookie: await cookieFor(db(), colleague.accountId),
      }),
    )
    expect(late.status).toBe(404)
    expect(await membershipOf(db(), colleague.accountId)).toBeNull()
  })

  test('removing: needs confirmation; the last admin cannot leave; a removed colleague loses the workspace at once', async () => {
    const { cookie, learner } = await baseWithApplicantAdmin()
    const colleague = await createLearner(db())
    await invite(cookie, colleague.phone)
    const colleagueCookie = await cookieFor(db(), colleague.accountId)
    await call(
      invitationsPage.action,
      makeRequest('/account/base-invitations', {
        form: { intent: 'accept', invitationId: String(await openInvitationId(colleague.accountId)) },
        cookie: colleagueCookie,
      }),
    )
    const members = await db().selectFrom('base_members').select(['id', 'account_id']).where('ended_at', 'is', null).execute()
    const mine = members.find((m) => m.account_id === learner.accountId)!
    const theirs = members.find((m) => m.account_id === colleague.accountId)!
    const remove = (memberId: number, confirm: boolean) =>
      call(
        staffPage.action,
        makeRequest('/base/staff', {
          form: { intent: 'remove', memberId: String(memberId), ...(confirm ? { confirm: 'yes' } : {}) },
          cookie,
        }),
      )
    expect(errorsOf(await remove(theirs.id, false))._form).toBe('err.confirm')
    expect(errorsOf(await remove(mine.id, true))._form).toBe('membersCode.last_admin')
    expect((await remove(theirs.id, true)).data).toMatchObject({ done: 'removed' })
    expect((await call(baseHome.loader, makeRequest('/base', { cookie: colleagueCookie }))).status).toBe(403)
    const audit = await db().selectFrom('audit_log').select('action').where('action', 'like', 'base.member_%').execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['base.member_add', 'base.member_invite', 'base.member_end']))
  })

  test('a revoked base takes on no staff; its staff keep read access', async () => {
    const { cookie, baseId, hr } = await baseWithApplicantAdmin()
    expect(await designateDue(db())).toBeGreaterThan(0)
    const hrActor = { role: 'hr', accountId: hr.accountId, scopeRegion: '220100' } as const
    const opened = await tx(db(), (t) =>
      openRectification(t, hrActor, baseId, { findings: { capacity: '教室不足' }, deadline: addDays(today, 30) }),
    )
    expect(opened.ok).toBe(true)
    const revoked = await tx(db(), (t) =>
      revokeBase(t, hrActor, baseId, { reason: '整改不合格', documentNumber: '吉人社〔2026〕1号', effectiveOn: today }),
    )
    expect(revoked.ok).toBe(true)
    const colleague = await createLearner(db())
    const r = await invite(cookie, colleague.phone)
    expect(errorsOf(r).phone).toBe('membersCode.base_closed')
    expect((await call(baseHome.loader, makeRequest('/base', { cookie }))).status).toBe(200)
  })
})
