import { describe, expect, test } from 'vitest'

import { randomToken, sha256 } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as account from '#app/routes/account/account.tsx'
import { action as loginAction } from '#app/routes/account/login.tsx'
import { action as logout } from '#app/routes/account/logout.tsx'
import * as adminStaff from '#app/routes/admin/staff.tsx'
import { cookieFor, createLearner, createStaff, PASSWORD } from '#test/factories/people.ts'
import { call, makeRequest, sessionCookieFrom } from '#test/fixtures/http.ts'

function tokenOf(cookie: string): string {
  return cookie.replace(/^xs_session=/, '')
}

async function sessionRow(cookie: string) {
  return getDb()
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', sha256(tokenOf(cookie)))
    .executeTakeFirstOrThrow()
}

/** Whether the cookie still signs someone in, judged by a protected loader. */
async function authenticates(cookie: string): Promise<boolean> {
  const res = await call(account.loader, makeRequest('/account', { cookie }))
  if (res.status === 200) return true
  expect(res.status).toBe(302)
  expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Faccount')
  return false
}

describe('sessions (会话)', () => {
  test('logout revokes the session row and clears the cookie; the old cookie no longer signs in', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    const other = await cookieFor(getDb(), learner.accountId)
    expect(await authenticates(cookie)).toBe(true)

    const res = await call(logout, makeRequest('/logout', { method: 'POST', cookie }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    const cleared = res.headers.get('Set-Cookie') ?? ''
    expect(cleared).toMatch(/^xs_session=;/)
    expect(cleared).toMatch(/Max-Age=0/)
    expect(cleared).toMatch(/HttpOnly/)

    expect((await sessionRow(cookie)).revoked_at).toBeInstanceOf(Date)
    expect(await authenticates(cookie)).toBe(false)
    // Only that one session: the same person's other device stays signed in.
    expect((await sessionRow(other)).revoked_at).toBeNull()
    expect(await authenticates(other)).toBe(true)
  })

  test('logout without a session still clears the cookie and touches nothing', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    const res = await call(logout, makeRequest('/logout', { method: 'POST' }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Set-Cookie')).toMatch(/^xs_session=;.*Max-Age=0/)
    expect((await sessionRow(cookie)).revoked_at).toBeNull()
  })

  test('"sign out everywhere else" revokes every other session of the account, not the current one', async () => {
    const learner = await createLearner(getDb())
    const bystander = await createLearner(getDb())
    const current = await cookieFor(getDb(), learner.accountId)
    const others = [await cookieFor(getDb(), learner.accountId), await cookieFor(getDb(), learner.accountId)]
    const bystanderCookie = await cookieFor(getDb(), bystander.accountId)

    const page = await call(account.loader, makeRequest('/account', { cookie: current }))
    expect(page.data.sessions).toHaveLength(3)
    expect(page.data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1)

    const res = await call(account.action, makeRequest('/account', { form: { intent: 'revoke-others', confirm: 'yes' }, cookie: current }))
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ revoked: 2 })

    expect(await authenticates(current)).toBe(true)
    for (const c of others) {
      expect((await sessionRow(c)).revoked_at).toBeInstanceOf(Date)
      expect(await authenticates(c)).toBe(false)
    }
    expect((await sessionRow(current)).revoked_at).toBeNull()
    expect(await authenticates(bystanderCookie)).toBe(true)
    const after = await call(account.loader, makeRequest('/account', { cookie: current }))
    expect(after.data.sessions).toHaveLength(1)
    expect(after.data.sessions[0].current).toBe(true)
  })

  test('an unknown intent on the account action → 400 and nothing revoked', async () => {
    const learner = await createLearner(getDb())
    const current = await cookieFor(getDb(), learner.accountId)
    const other = await cookieFor(getDb(), learner.accountId)
    const res = await call(account.action, makeRequest('/account', { form: { intent: 'something-else' }, cookie: current }))
    expect(res.status).toBe(400)
    expect(await authenticates(other)).toBe(true)
  })

  test('an admin revokes every session of an account; audited as account.revoke_sessions', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const adminCookie = await cookieFor(getDb(), admin.accountId)
    const target = await createStaff(getDb(), 'hr')
    const targetCookies = [await cookieFor(getDb(), target.accountId), await cookieFor(getDb(), target.accountId)]
    const bystander = await createLearner(getDb())
    const bystanderCookie = await cookieFor(getDb(), bystander.accountId)

    const res = await call(
      adminStaff.action,
      makeRequest('/admin/staff', { form: { intent: 'revoke', confirm: 'yes', accountId: String(target.accountId) }, cookie: adminCookie }),
    )
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ intent: 'revoke', revoked: 2 })
    for (const c of targetCookies) expect(await authenticates(c)).toBe(false)
    expect(await authenticates(bystanderCookie)).toBe(true)
    expect(await authenticates(adminCookie)).toBe(true)

    const rows = await getDb().selectFrom('audit_log').selectAll().where('action', '=', 'account.revoke_sessions').execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      actor_account_id: admin.accountId,
      target_type: 'account',
      target_id: String(target.accountId),
      detail: { revoked: 2 },
    })
  })

  test('the admin revoke action refuses a malformed account id', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const adminCookie = await cookieFor(getDb(), admin.accountId)
    for (const accountId of ['', 'abc', '-1', '1.5']) {
      const res = await call(
        adminStaff.action,
        makeRequest('/admin/staff', { form: { intent: 'revoke', confirm: 'yes', accountId }, cookie: adminCookie }),
      )
      expect(res.status, accountId).toBe(400)
    }
    expect(await getDb().selectFrom('audit_log').selectAll().where('action', '=', 'account.revoke_sessions').execute()).toEqual([])
  })

  test('an expired session does not sign in', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    expect(await authenticates(cookie)).toBe(true)
    await getDb()
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', sha256(tokenOf(cookie)))
      .execute()
    expect(await authenticates(cookie)).toBe(false)
  })

  test('a tampered or unknown token does not sign in', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    const token = tokenOf(cookie)
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    expect(await authenticates(cookie)).toBe(true)
    for (const bad of [
      `xs_session=${flipped}`,
      `xs_session=${randomToken()}`,
      `xs_session=${token}extra`,
      `xs_session=${token.slice(0, 20)}`,
      `xs_session=${sha256(token).toString('base64url')}`,
      `xs_session=${sha256(token).toString('hex')}`,
      `other=${token}`,
      'xs_session=',
    ]) {
      expect(await authenticates(bad), bad).toBe(false)
    }
  })

  test('the sessions table stores the 32-byte SHA-256 of the cookie token, never the token', async () => {
    const learner = await createLearner(getDb())
    const res = await call(
      loginAction,
      makeRequest('/login', { form: { login: learner.phone, password: PASSWORD }, headers: { 'User-Agent': 'vitest-agent' } }),
    )
    const cookie = sessionCookieFrom(res)
    const token = tokenOf(cookie)
    const rows = await getDb().selectFrom('sessions').selectAll().execute()
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(row.id).toBeInstanceOf(Buffer)
    expect(row.id).toHaveLength(32)
    expect(row.id.equals(sha256(token))).toBe(true)
    expect(row.user_agent).toBe('vitest-agent')
    expect(row.account_id).toBe(learner.accountId)
    expect(row.expires_at.getTime()).toBeGreaterThan(Date.now())
    const everything = JSON.stringify(rows) + rows.map((r) => r.id.toString('latin1') + r.id.toString('base64url')).join()
    expect(everything).not.toContain(token)
    expect(await authenticates(cookie)).toBe(true)
  })
})
