import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { createApiClient } from '#app/domain/credit-api/api-clients.server.ts'
import { runChecks } from '#app/domain/credit-api/credit-checks.server.ts'
import { appealRecord, confirmFinding, decideAppeal, proposeFinding } from '#app/domain/integrity/records.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { addDays } from '#app/domain/shared/working-days.ts'
import { presentAnswer } from '#app/http/credit-check-answer.ts'
import { getDb } from '#app/lib/db.server.ts'
import { loader as getCheckLoader } from '#app/routes/api/credit-check.ts'
import { action as checkAction } from '#app/routes/api/credit-checks.ts'
import { action as batchAction } from '#app/routes/api/credit-checks-batch.ts'
import { tx } from '#test/factories/bases.ts'
import { approvedClaim, PDF_EVIDENCE } from '#test/factories/claims.ts'
import { giveHours } from '#test/factories/hours.ts'
import { createLearner, createStaff } from '#test/factories/people.ts'
import { call, type Outcome } from '#test/fixtures/http.ts'

const db = () => getDb()

function post(path: string, key: string, body: unknown) {
  return new Request(`http://localhost/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  })
}
const check = (key: string, body: unknown): Promise<Outcome> => call(checkAction, post('/credit-checks', key, body))
const batch = (key: string, body: unknown): Promise<Outcome> => call(batchAction, post('/credit-checks/batch', key, body))
const fetchCheck = (key: string, checkId: string) =>
  call(getCheckLoader, new Request(`http://localhost/api/v1/credit-checks/${checkId}`, { headers: { Authorization: `Bearer ${key}` } }), {
    checkId,
  })

async function hrOf(scopeRegion: string): Promise<HrActor> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion }
}

async function apiKey() {
  const r = await createApiClient(db(), { name: '职称申报系统', scopeRegion: '220000', actorAccountId: null })
  if (!r.ok) throw new Error(r.code)
  return r.key
}

const YEAR = Number(chinaDay().slice(0, 4))

/** A learner who met every year checked (so the ordinary answer is eligible), with a forged claim confirmed today. */
async function recorded(now = new Date()) {
  const finder = await hrOf('220100')
  const colleague = await hrOf('220100')
  const learner = await createLearner(db(), { titleYear: String(YEAR - 3) })
  const years = [YEAR - 2, YEAR - 1]
  await giveHours(
    db(),
    learner.personId,
    years.flatMap((year) => [
      { year, category: 'professional' as const, hours: '200' },
      { year, category: 'public' as const, hours: '100' },
    ]),
  )
  const other = await createLearner(db(), { titleYear: String(YEAR - 3) })
  await giveHours(
    db(),
    other.personId,
    years.flatMap((year) => [
      { year, category: 'professional' as const, hours: '200' },
      { year, category: 'public' as const, hours: '100' },
    ]),
  )
  const { claimId } = await approvedClaim(db(), learner.personId, finder, { units: '1' })
  const p = await tx(db(), (t) =>
    proposeFinding(
      t,
      finder,
      {
        sourceKind: 'claim',
        sourceId: claimId,
        finding: '证明伪造',
        documentNumber: '吉人社诚字〔2026〕3号',
        evidence: { filename: 'a.pdf', bytes: PDF_EVIDENCE },
      },
      now,
    ),
  )
  if (!p.ok) throw new Error(p.code)
  const c = await tx(db(), (t) => confirmFinding(t, colleague, p.recordId, now))
  if (!c.ok) throw new Error(c.code)
  return { learner, other, recordId: p.recordId, endsOn: c.endsOn }
}

describe('credit-check API and integrity records', () => {
  test('record in force: single and batch answer eligible false with integrity_record and endsOn; others unaffected', async () => {
    const key = await apiKey()
    const { learner, other, endsOn } = await recorded()
    const single = await check(key, { idNumber: learner.idNumber, applicationYear: YEAR })
    expect(single.status).toBe(200)
    expect(single.data.eligible).toBe(false)
    expect(single.data.reasons[0]).toEqual({ code: 'integrity_record', endsOn, message: expect.stringContaining(endsOn) })

    const res = await batch(key, {
      applicants: [
        { idNumber: other.idNumber, applicationYear: YEAR },
        { idNumber: learner.idNumber, applicationYear: YEAR },
      ],
    })
    expect(res.status).toBe(200)
    const [a, b] = res.data.results
    expect(a).toMatchObject({ ok: true, eligible: true })
    expect(a.reasons.map((r: { code: string }) => r.code)).not.toContain('integrity_record')
    expect(b).toMatchObject({ ok: true, eligible: false })
    expect(b.reasons[0]).toMatchObject({ code: 'integrity_record', endsOn })
  })

  test('on the day the record ends (exclusive) the ordinary answer is given; the day before it is not', async () => {
    const { learner, endsOn } = await recorded()
    const at = (day: string) => new Date(`${day}T10:00:00+08:00`)
    const hr = await hrOf('220000')
    const who = { accountId: hr.accountId, scopeRegion: hr.scopeRegion }
    const [lastDay] = await runChecks(
      db(),
      who,
      [{ idNumber: learner.idNumber, applicationYear: YEAR }],
      presentAnswer,
      at(addDays(endsOn, -1)),
    )
    expect(lastDay?.ok && lastDay.answer).toMatchObject({ eligible: false, reasons: [{ code: 'integrity_record', endsOn }] })
    const [ended] = await runChecks(db(), who, [{ idNumber: learner.idNumber, applicationYear: YEAR }], presentAnswer, at(endsOn))
    expect(ended?.ok && ended.answer).toMatchObject({ eligible: true })
    expect(ended?.ok && ended.answer.reasons.map((r) => r.code)).not.toContain('integrity_record')
  })

  test('a withdrawal changes later answers; the stored answer stays as it was given', async () => {
    const key = await apiKey()
    const now = new Date()
    const { learner, recordId } = await recorded(now)
    const before = await check(key, { idNumber: learner.idNumber, applicationYear: YEAR })
    expect(before.data.eligible).toBe(false)

    const appealed = await tx(db(), (t) =>
      appealRecord(t, { personId: learner.personId, accountId: learner.accountId }, recordId, '会议真实', now),
    )
    expect(appealed.ok).toBe(true)
    const province = await hrOf('220000')
    expect((await tx(db(), (t) => decideAppeal(t, province, recordId, 'withdraw', '主办方证明属实', now))).ok).toBe(true)

    const after = await check(key, { idNumber: learner.idNumber, applicationYear: YEAR })
    expect(after.data.eligible).toBe(true)
    expect(after.data.reasons.map((r: { code: string }) => r.code)).not.toContain('integrity_record')

    const stored = await fetchCheck(key, before.data.checkId)
    expect(stored.status).toBe(200)
    expect(stored.data).toEqual(before.data)
    const row = await db().selectFrom('credit_checks').select('eligible').where('id', '=', before.data.checkId).executeTakeFirstOrThrow()
    expect(row.eligible).toBe(false)
  })
})
