import { describe, expect, test } from 'vitest'

import { SESSION_POLICY } from '#app/domain/identity/security-policy.ts'
import { sha256 } from '#app/lib/crypto.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as account from '#app/routes/account/account.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

const MIN = 60 * 1000
const HOUR = 60 * MIN

function idOf(cookie: string): Buffer {
  return sha256(cookie.replace(/^xs_session=/, ''))
}

async function lastSeenAgo(cookie: string, ms: number) {
  await getDb()
    .updateTable('sessions')
    .set({ last_seen_at: new Date(Date.now() - ms) })
    .where('id', '=', idOf(cookie))
    .execute()
}

async function row(cookie: string) {
  return getDb().selectFrom('sessions').selectAll().where('id', '=', idOf(cookie)).executeTakeFirstOrThrow()
}

async function signedIn(cookie: string): Promise<boolean> {
  const res = await call(account.loader, makeRequest('/account', { cookie }))
  return res.status === 200
}

describe('session lifetimes (会话时限), as policy', () => {
  test('staff sessions end after 2 h idle; learner sessions do not', async () => {
    const hr = await createStaff(getDb(), 'hr')
    const learner = await createLearner(getDb())
    const staffCookie = await cookieFor(getDb(), hr.accountId)
    const learnerCookie = await cookieFor(getDb(), learner.accountId)
    await lastSeenAgo(staffCookie, SESSION_POLICY.staff.idleMs + MIN)
    await lastSeenAgo(learnerCookie, SESSION_POLICY.staff.idleMs + MIN)
    expect(await signedIn(staffCookie)).toBe(false)
    expect(await signedIn(learnerCookie)).toBe(true)
    await lastSeenAgo(learnerCookie, SESSION_POLICY.learner.idleMs + MIN)
    expect(await signedIn(learnerCookie)).toBe(false)
  })

  test('the idle deadline slides: use within the timeout keeps the session and moves last_seen_at', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const cookie = await cookieFor(getDb(), admin.accountId)
    await lastSeenAgo(cookie, 2 * HOUR - 5 * MIN)
    expect(await signedIn(cookie)).toBe(true)
    expect(Date.now() - (await row(cookie)).last_seen_at.getTime()).toBeLessThan(MIN)
    // 1 h 56 min later it would have expired without the touch; now it is 1 h 56 min from the last use.
    await lastSeenAgo(cookie, 2 * HOUR - 5 * MIN)
    expect(await signedIn(cookie)).toBe(true)
  })

  test('last_seen_at is written at most once a minute per session, not on every request', async () => {
    const learner = await createLearner(getDb())
    const cookie = await cookieFor(getDb(), learner.accountId)
    await lastSeenAgo(cookie, 30 * 1000)
    const before = (await row(cookie)).last_seen_at.getTime()
    for (let i = 0; i < 3; i++) expect(await signedIn(cookie)).toBe(true)
    expect((await row(cookie)).last_seen_at.getTime()).toBe(before)
    await lastSeenAgo(cookie, 2 * MIN)
    expect(await signedIn(cookie)).toBe(true)
    expect(Date.now() - (await row(cookie)).last_seen_at.getTime()).toBeLessThan(10 * 1000)
  })

  test('absolute lifetime: 12 h for staff, 30 days for learners, from sign-in, whatever the use', async () => {
    const base = await createStaff(getDb(), 'base_staff')
    const learner = await createLearner(getDb())
    const staffCookie = await cookieFor(getDb(), base.accountId)
    const learnerCookie = await cookieFor(getDb(), learner.accountId)
    const staffRow = await row(staffCookie)
    const learnerRow = await row(learnerCookie)
    expect(staffRow.expires_at.getTime() - staffRow.created_at.getTime()).toBeCloseTo(SESSION_POLICY.staff.absoluteMs, -4)
    expect(learnerRow.expires_at.getTime() - learnerRow.created_at.getTime()).toBeCloseTo(SESSION_POLICY.learner.absoluteMs, -4)
    expect(SESSION_POLICY.staff.absoluteMs).toBe(12 * HOUR)
    await getDb()
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', idOf(staffCookie))
      .execute()
    expect(await signedIn(staffCookie)).toBe(false)
  })

  test('the account page lists only live sessions (an idle-expired one is gone)', async () => {
    const admin = await createStaff(getDb(), 'admin')
    const current = await cookieFor(getDb(), admin.accountId)
    const stale = await cookieFor(getDb(), admin.accountId)
    await lastSeenAgo(stale, 3 * HOUR)
    const page = await call(account.loader, makeRequest('/account', { cookie: current }))
    expect(page.data.sessions).toHaveLength(1)
  })
})
