import { describe, expect, test } from 'vitest'

import { submitClaim } from '#app/domain/claims/external-claims.server.ts'
import { chinaToday } from '#app/domain/claims/external-claims.ts'
import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { createSession } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as account from '#app/routes/account/account.tsx'
import * as apiClients from '#app/routes/admin/api-clients.tsx'
import * as adminCourses from '#app/routes/admin/courses.tsx'
import * as staff from '#app/routes/admin/staff.tsx'
import * as hrClaims from '#app/routes/hr/claims.tsx'
import * as person from '#app/routes/hr/person.tsx'
import { giveHours } from '#test/factories/hours.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

/**
 * Irreversible actions ask first (issue 9, item 20): each action refuses a submission without the
 * confirmation step's field (`confirm=yes`) and changes nothing; the same submission with it acts.
 */
const db = () => getDb()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const today = chinaToday(new Date())
const YEAR = Number(today.slice(0, 4))

async function pendingClaim(personId: number) {
  const r = await submitClaim(
    db(),
    personId,
    { activity: 'academic_conference', title: '学术年会', category: 'professional', units: '2', occurredOn: today },
    { filename: 'a.pdf', bytes: PDF },
  )
  if (!r.ok) throw new Error(JSON.stringify(r))
  return r.claimId
}

async function hrAndLearner() {
  const learner = await createLearner(db(), { region: '220100' })
  const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
  return { learner, hr, hrCookie: await cookieFor(db(), hr.accountId) }
}

const claimStatus = async (id: number) =>
  (await db().selectFrom('external_claims').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
const entries = async () =>
  Number(
    (
      await db()
        .selectFrom('hour_entries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('a decision on a claim asks first', () => {
  test('approve without confirmation: 400, the claim stays pending, nothing credited; with it: approved', async () => {
    const { learner, hrCookie } = await hrAndLearner()
    const claimId = await pendingClaim(learner.personId)
    const form = { intent: 'approve', claimId: String(claimId) }
    const refused = await call(hrClaims.action, makeRequest('/hr/claims', { form, cookie: hrCookie }))
    expect(refused.status).toBe(400)
    expect(errorsOf(refused)._form).toBe('err.confirm')
    expect(await claimStatus(claimId)).toBe('pending')
    expect(await entries()).toBe(0)
    const done = await call(hrClaims.action, makeRequest('/hr/claims', { form: { ...form, confirm: 'yes' }, cookie: hrCookie }))
    expect(done.status).toBe(200)
    expect(await claimStatus(claimId)).toBe('approved')
  })

  test('reject without confirmation (or with another value) changes nothing', async () => {
    const { learner, hrCookie } = await hrAndLearner()
    const claimId = await pendingClaim(learner.personId)
    for (const extra of [{}, { confirm: 'no' }, { confirm: '' }] as Record<string, string>[]) {
      const form = { intent: 'reject', claimId: String(claimId), reason: '材料不符', ...extra }
      expect((await call(hrClaims.action, makeRequest('/hr/claims', { form, cookie: hrCookie }))).status).toBe(400)
    }
    expect(await claimStatus(claimId)).toBe('pending')
    const notices = await db().selectFrom('notices').select('kind').where('person_id', '=', learner.personId).execute()
    expect(notices.map((n) => n.kind)).not.toContain('claim_rejected')
  })
})

test('reversing a ledger entry asks first', async () => {
  const { learner, hrCookie } = await hrAndLearner()
  await giveHours(db(), learner.personId, [{ year: YEAR, category: 'professional', hours: '8' }])
  const entry = await db().selectFrom('hour_entries').select('id').where('person_id', '=', learner.personId).executeTakeFirstOrThrow()
  const path = `/hr/people/${learner.personId}`
  const form = { intent: 'reverse', entryId: String(entry.id), reason: '重复计入' }
  const refused = await call(person.action, makeRequest(path, { form, cookie: hrCookie }), { personId: String(learner.personId) })
  expect(refused.status).toBe(400)
  expect(errorsOf(refused)._form).toBe('err.confirm')
  expect(await entries()).toBe(1)
  const done = await call(person.action, makeRequest(path, { form: { ...form, confirm: 'yes' }, cookie: hrCookie }), {
    personId: String(learner.personId),
  })
  expect(done.data).toMatchObject({ intent: 'reverse', ok: true })
  expect(await entries()).toBe(2)
})

describe('administrators are asked first', async () => {
  async function admin() {
    const a = await createStaff(db(), 'admin')
    return { ...a, cookie: await cookieFor(db(), a.accountId) }
  }

  test('revoking an API key', async () => {
    const a = await admin()
    const created = await createApiClient(db(), { name: '职称评审系统', scopeRegion: '220000', actorAccountId: a.accountId })
    if (!created.ok) throw new Error('api client')
    const form = { intent: 'revoke', clientId: String(created.id) }
    expect((await call(apiClients.action, makeRequest('/admin/api-clients', { form, cookie: a.cookie }))).status).toBe(400)
    const row = () => db().selectFrom('api_clients').select('revoked_at').where('id', '=', created.id).executeTakeFirstOrThrow()
    expect((await row()).revoked_at).toBeNull()
    await call(apiClients.action, makeRequest('/admin/api-clients', { form: { ...form, confirm: 'yes' }, cookie: a.cookie }))
    expect((await row()).revoked_at).not.toBeNull()
  })

  test('disabling an account and signing it out everywhere', async () => {
    const a = await admin()
    const target = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    await createSession(db(), target.accountId, 'test')
    const post = (form: Record<string, string>) => call(staff.action, makeRequest('/admin/staff', { form, cookie: a.cookie }))
    expect((await post({ intent: 'disable', accountId: String(target.accountId) })).status).toBe(400)
    expect((await post({ intent: 'revoke', accountId: String(target.accountId) })).status).toBe(400)
    const acc = await db().selectFrom('accounts').select('disabled_at').where('id', '=', target.accountId).executeTakeFirstOrThrow()
    expect(acc.disabled_at).toBeNull()
    const live = await db()
      .selectFrom('sessions')
      .select('id')
      .where('account_id', '=', target.accountId)
      .where('revoked_at', 'is', null)
      .execute()
    expect(live).toHaveLength(1)
    expect((await post({ intent: 'disable', accountId: String(target.accountId), confirm: 'yes' })).data).toEqual({
      intent: 'disable',
      ok: true,
    })
    // Enabling again is not irreversible: no confirmation needed.
    expect((await post({ intent: 'enable', accountId: String(target.accountId) })).data).toEqual({ intent: 'enable', ok: true })
  })

  test('withdrawing a course is refused before anything is looked up', async () => {
    const a = await admin()
    const form = { intent: 'unpublish', courseId: 'no-such-course' }
    expect((await call(adminCourses.action, makeRequest('/admin/courses', { form, cookie: a.cookie }))).status).toBe(400)
    expect(
      (await call(adminCourses.action, makeRequest('/admin/courses', { form: { ...form, confirm: 'yes' }, cookie: a.cookie }))).status,
    ).toBe(404)
  })
})

test('signing out on every other device asks first', async () => {
  const learner = await createLearner(db())
  const current = await cookieFor(db(), learner.accountId)
  await createSession(db(), learner.accountId, 'other device')
  const live = async () =>
    (await db().selectFrom('sessions').select('id').where('account_id', '=', learner.accountId).where('revoked_at', 'is', null).execute())
      .length
  expect(await live()).toBe(2)
  const refused = await call(account.action, makeRequest('/account', { form: { intent: 'revoke-others' }, cookie: current }))
  expect(refused.status).toBe(400)
  expect(await live()).toBe(2)
  await call(account.action, makeRequest('/account', { form: { intent: 'revoke-others', confirm: 'yes' }, cookie: current }))
  expect(await live()).toBe(1)
})
