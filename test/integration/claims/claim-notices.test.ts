import { expect, test } from 'vitest'

import { homeFor } from '#app/auth/auth.server.ts'
import { submitClaim } from '#app/domain/claims/external-claims.server.ts'
import { chinaToday } from '#app/domain/claims/external-claims.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as hours from '#app/routes/hours/hours.tsx'
import * as hrClaims from '#app/routes/hr/claims.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

/** Learners are told (issue 9, item 22). */
const db = () => getDb()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const today = chinaToday(new Date())

async function setup() {
  const learner = await createLearner(db(), { region: '220100' })
  const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
  return { learner, hrCookie: await cookieFor(db(), hr.accountId), learnerCookie: await cookieFor(db(), learner.accountId) }
}

async function claim(personId: number, title: string) {
  const r = await submitClaim(
    db(),
    personId,
    { activity: 'academic_conference', title, category: 'professional', units: '2', occurredOn: today },
    { filename: 'a.pdf', bytes: PDF },
  )
  if (!r.ok) throw new Error('claim')
  return r.claimId
}

const noticesOf = (personId: number) =>
  db()
    .selectFrom('notices')
    .select(['kind', 'params'])
    .where('person_id', '=', personId)
    .where('kind', 'like', 'claim_%')
    .orderBy('id')
    .execute()

test('approving or rejecting a claim leaves the claimant an in-app notice, once', async () => {
  const { learner, hrCookie } = await setup()
  const a = await claim(learner.personId, '东北地区土木工程学术年会')
  const b = await claim(learner.personId, '不相关的会议')
  const decide = (form: Record<string, string>) =>
    call(hrClaims.action, makeRequest('/hr/claims', { form: { ...form, confirm: 'yes' }, cookie: hrCookie }))
  expect((await decide({ intent: 'approve', claimId: String(a) })).status).toBe(200)
  // Approving again is answered "already approved" and tells no one twice.
  expect((await decide({ intent: 'approve', claimId: String(a) })).data).toMatchObject({ already: true })
  expect((await decide({ intent: 'reject', claimId: String(b), reason: '证明材料与活动不符' })).status).toBe(200)
  const notices = await noticesOf(learner.personId)
  expect(notices).toEqual([
    {
      kind: 'claim_approved',
      params: expect.objectContaining({ title: '东北地区土木工程学术年会', hours: '12', year: Number(today.slice(0, 4)) }),
    },
    { kind: 'claim_rejected', params: expect.objectContaining({ title: '不相关的会议', reason: '证明材料与活动不符' }) },
  ])
})

test('a refused decision leaves no notice', async () => {
  const { learner } = await setup()
  const a = await claim(learner.personId, '学术年会')
  const outsider = await createStaff(db(), 'hr', { scopeRegion: '220200' })
  const res = await call(
    hrClaims.action,
    makeRequest('/hr/claims', {
      form: { intent: 'approve', claimId: String(a), confirm: 'yes' },
      cookie: await cookieFor(db(), outsider.accountId),
    }),
  )
  expect(res.status).toBe(404)
  expect(await noticesOf(learner.personId)).toEqual([])
})

test('我的学时 lists the claims still under review', async () => {
  const { learner, hrCookie, learnerCookie } = await setup()
  const a = await claim(learner.personId, '待审会议')
  const b = await claim(learner.personId, '已通过的会议')
  await call(
    hrClaims.action,
    makeRequest('/hr/claims', { form: { intent: 'approve', claimId: String(b), confirm: 'yes' }, cookie: hrCookie }),
  )
  const page = await call(hours.loader, makeRequest('/hours', { cookie: learnerCookie }))
  expect(page.data.pending).toEqual([expect.objectContaining({ id: a, title: '待审会议', hours: '12' })])
})

test('after signing in, a learner lands on 我的学时', () => {
  expect(homeFor('learner')).toBe('/hours')
  expect(homeFor('hr')).toBe('/hr')
})
