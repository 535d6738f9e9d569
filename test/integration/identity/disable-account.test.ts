import { describe, expect, test } from 'vitest'

import { authenticate } from '#app/domain/identity/accounts.server.ts'
import { findSessionUser } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { action, loader } from '#app/routes/admin/staff.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

const post = (cookie: string, form: Record<string, string>) => call(action, makeRequest('/admin/staff', { form, cookie }))
const tokenOf = (cookie: string) => cookie.replace('xs_session=', '')

describe('admins disable and enable accounts', () => {
  test('disabling signs the account out everywhere and refuses its logins; enabling lets it log in again; both audited', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const adminCookie = await cookieFor(getDb(), admin.accountId)
    const hr = await createStaff(getDb(), 'hr')
    const hrCookie = await cookieFor(getDb(), hr.accountId)
    expect(await findSessionUser(getDb(), tokenOf(hrCookie))).not.toBeNull()

    expect((await post(adminCookie, { intent: 'disable', confirm: 'yes', accountId: String(hr.accountId) })).data).toEqual({
      intent: 'disable',
      ok: true,
    })
    expect(await findSessionUser(getDb(), tokenOf(hrCookie))).toBeNull()
    expect(await authenticate(getDb(), hr.phone, hr.password)).toEqual({ ok: false, code: 'invalid_credentials' })
    const listed = await call(loader, makeRequest('/admin/staff', { cookie: adminCookie }))
    expect(listed.data.staff.find((s: { id: number }) => s.id === hr.accountId).disabled_at).not.toBeNull()

    expect((await post(adminCookie, { intent: 'enable', accountId: String(hr.accountId) })).data).toEqual({ intent: 'enable', ok: true })
    expect(await authenticate(getDb(), hr.phone, hr.password)).toMatchObject({ ok: true })
    const audit = await getDb()
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('actor_account_id', '=', admin.accountId)
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'account.disable', target_id: String(hr.accountId) },
      { action: 'account.enable', target_id: String(hr.accountId) },
    ])
  })

  test('an admin cannot disable their own account; an unknown account is 404; bad input 400; changes nothing', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const cookie = await cookieFor(getDb(), admin.accountId)
    expect(await post(cookie, { intent: 'disable', confirm: 'yes', accountId: String(admin.accountId) })).toMatchObject({
      status: 400,
      data: { ok: false, error: 'self' },
    })
    expect(await findSessionUser(getDb(), tokenOf(cookie))).not.toBeNull()
    expect((await post(cookie, { intent: 'disable', confirm: 'yes', accountId: '999999' })).status).toBe(404)
    expect((await post(cookie, { intent: 'disable', confirm: 'yes', accountId: 'x' })).status).toBe(400)
    expect(await getDb().selectFrom('audit_log').select('id').where('actor_account_id', '=', admin.accountId).execute()).toEqual([])
  })

  test.each(['learner', 'hr', 'base_staff'] as const)('%s cannot disable anyone (403)', async (role) => {
    const target = await createStaff(getDb(), 'hr')
    const id = role === 'learner' ? (await createLearner(getDb())).accountId : (await createStaff(getDb(), role)).accountId
    const res = await post(await cookieFor(getDb(), id), { intent: 'disable', confirm: 'yes', accountId: String(target.accountId) })
    expect(res.status).toBe(403)
    expect(
      (await getDb().selectFrom('accounts').select('disabled_at').where('id', '=', target.accountId).executeTakeFirstOrThrow()).disabled_at,
    ).toBeNull()
  })
})
