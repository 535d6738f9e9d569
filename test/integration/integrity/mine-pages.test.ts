import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { confirmFinding, proposeBaseFinding, proposeFinding } from '#app/domain/integrity/records.server.ts'
import { addYears, appealLastDay } from '#app/domain/integrity/term.ts'
import { integrityPolicyOn } from '#app/domain/policy/integrity-policy.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { addDays } from '#app/domain/shared/working-days.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as baseHome from '#app/routes/base/home.tsx'
import * as hours from '#app/routes/hours/hours.tsx'
import * as integrityPage from '#app/routes/hours/integrity.tsx'
import * as hrBase from '#app/routes/hr/base.tsx'
import { tx } from '#test/factories/bases.ts'
import { approvedClaim, PDF_EVIDENCE } from '#test/factories/claims.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { baseWithStaff, declare } from '#test/factories/reports.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const DAY_MS = 86_400_000

async function hrOf(scopeRegion = '220100'): Promise<HrActor & { cookie: string }> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion, cookie: await cookieFor(db(), s.accountId) }
}

async function learner() {
  const l = await createLearner(db())
  return { ...l, cookie: await cookieFor(db(), l.accountId) }
}

const FINDING = '参会证明系伪造：主办单位出具函件证实其未参加该次学术年会。'

/**
 * A forged claim of the learner's, found by one Changchun officer and (unless `confirm` is false)
 * confirmed by another at `confirmedAt`: the record takes effect on that China day.
 */
async function recordOf(personId: number, { confirmedAt = new Date(), confirm = true } = {}) {
  const finder = await hrOf()
  const colleague = await hrOf()
  const { claimId } = await approvedClaim(db(), personId, finder)
  const documentNumber = `长人社诚字〔2026〕${claimId}号`
  const proposed = await tx(db(), (trx) =>
    proposeFinding(
      trx,
      finder,
      {
        sourceKind: 'claim',
        sourceId: claimId,
        finding: FINDING,
        documentNumber,
        evidence: { filename: '认定书.pdf', bytes: PDF_EVIDENCE },
      },
      confirmedAt,
    ),
  )
  if (!proposed.ok) throw new Error(`propose: ${proposed.code}`)
  if (confirm) {
    const confirmed = await tx(db(), (trx) => confirmFinding(trx, colleague, proposed.recordId, confirmedAt))
    if (!confirmed.ok) throw new Error(`confirm: ${confirmed.code}`)
  }
  return { recordId: proposed.recordId, documentNumber }
}

const appealOf = (recordId: number) =>
  db().selectFrom('integrity_records').select(['appeal_text', 'appealed_at', 'status']).where('id', '=', recordId).executeTakeFirstOrThrow()

const appeal = (recordId: number, cookie: string, form: Record<string, string>) =>
  call(integrityPage.action, makeRequest(`/hours/integrity/${recordId}`, { form, cookie }), { recordId: String(recordId) })

describe('我的学时: the integrity record panel', () => {
  test('a record in force shows its finding, document number, dates and end date, and the way to appeal', async () => {
    const me = await learner()
    const { recordId, documentNumber } = await recordOf(me.personId)
    const today = chinaDay()
    const policy = integrityPolicyOn(today)
    const out = await call(hours.loader, makeRequest('/hours', { cookie: me.cookie }))
    expect(out.status).toBe(200)
    expect(out.data.integrity).toEqual([
      expect.objectContaining({
        id: recordId,
        state: 'in_force',
        finding: FINDING,
        documentNumber,
        startsOn: today,
        endsOn: addYears(today, policy.recordYears),
        appealUntil: appealLastDay(today, policy.appealDays),
        canAppeal: true,
        appealedAt: null,
      }),
    ])
    // The outlook for next year's title application says the same as the API will.
    expect(out.data.nextApplication.eligible).toBe(false)
    expect(out.data.nextApplication.reasons[0]).toEqual({ code: 'integrity_record', endsOn: addYears(today, policy.recordYears) })
  })

  test('a finding still awaiting its second officer is not shown to the person', async () => {
    const me = await learner()
    const { recordId } = await recordOf(me.personId, { confirm: false })
    const out = await call(hours.loader, makeRequest('/hours', { cookie: me.cookie }))
    expect(out.data.integrity).toEqual([])
    expect(out.data.nextApplication.reasons.map((r: { code: string }) => r.code)).not.toContain('integrity_record')
    const page = await call(integrityPage.loader, makeRequest(`/hours/integrity/${recordId}`, { cookie: me.cookie }), {
      recordId: String(recordId),
    })
    expect(page.status).toBe(404)
  })
})

describe('/hours/integrity/:recordId: the record and its appeal', () => {
  test('an appeal through the page is recorded once; its state shows; a second appeal is refused, nothing changed', async () => {
    const me = await learner()
    const { recordId } = await recordOf(me.personId)
    const page = await call(integrityPage.loader, makeRequest(`/hours/integrity/${recordId}`, { cookie: me.cookie }), {
      recordId: String(recordId),
    })
    expect(page.status).toBe(200)
    expect(page.data.record).toMatchObject({ id: recordId, state: 'in_force', canAppeal: true })

    const sent = await appeal(recordId, me.cookie, { text: '  我确实参加了该次年会，有会议照片和酒店发票为证。 ', confirm: 'yes' })
    expect(sent.status).toBe(200)
    expect(sent.data.ok).toBe(true)
    const first = await appealOf(recordId)
    expect(first.appeal_text).toBe('我确实参加了该次年会，有会议照片和酒店发票为证。')
    expect(first.appealed_at).not.toBeNull()

    const after = await call(integrityPage.loader, makeRequest(`/hours/integrity/${recordId}`, { cookie: me.cookie }), {
      recordId: String(recordId),
    })
    expect(after.data.record).toMatchObject({ canAppeal: false, appealText: first.appeal_text, appealDecision: null })
    expect(after.data.record.appealedAt).toBe(new Date(first.appealed_at!).toISOString())

    const again = await appeal(recordId, me.cookie, { text: '再次申诉', confirm: 'yes' })
    expect(again.status).toBe(409)
    expect(errorsOf(again)).toEqual({ _form: 'integrityMine.err.already_appealed' })
    expect(await appealOf(recordId)).toEqual(first)
  })

  test('refused, nothing changed: no grounds, grounds over 2,000 characters, not confirmed', async () => {
    const me = await learner()
    const { recordId } = await recordOf(me.personId)
    const before = await appealOf(recordId)
    const empty = await appeal(recordId, me.cookie, { text: '   ', confirm: 'yes' })
    expect(empty.status).toBe(400)
    expect(errorsOf(empty)).toEqual({ text: 'integrityMine.err.text_required' })
    const long = await appeal(recordId, me.cookie, { text: '冤'.repeat(2001), confirm: 'yes' })
    expect(long.status).toBe(400)
    expect(errorsOf(long)).toEqual({ text: 'integrityMine.err.text_too_long' })
    const unconfirmed = await appeal(recordId, me.cookie, { text: '材料真实' })
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)).toEqual({ _form: 'err.confirm' })
    expect(await appealOf(recordId)).toEqual(before)
  })

  test('an appeal after the deadline is refused with a message; the page says the time is over', async () => {
    const me = await learner()
    // Confirmed one day more than the policy's appeal days ago (the record is still in force).
    const days = integrityPolicyOn(chinaDay()).appealDays + 1
    const confirmedAt = new Date(Date.now() - days * DAY_MS)
    const { recordId } = await recordOf(me.personId, { confirmedAt })
    const confirmedOn = chinaDay(confirmedAt)
    const page = await call(integrityPage.loader, makeRequest(`/hours/integrity/${recordId}`, { cookie: me.cookie }), {
      recordId: String(recordId),
    })
    expect(page.data.record).toMatchObject({
      state: 'in_force',
      canAppeal: false,
      appealUntil: addDays(confirmedOn, integrityPolicyOn(confirmedOn).appealDays),
    })
    const late = await appeal(recordId, me.cookie, { text: '我刚看到通知。', confirm: 'yes' })
    expect(late.status).toBe(409)
    expect(errorsOf(late)).toEqual({ _form: 'integrityMine.err.appeal_closed' })
    expect(await appealOf(recordId)).toMatchObject({ appeal_text: null, appealed_at: null, status: 'in_force' })
  })

  test('someone else’s record is not found, to read or to appeal', async () => {
    const owner = await learner()
    const other = await learner()
    const { recordId } = await recordOf(owner.personId)
    const page = await call(integrityPage.loader, makeRequest(`/hours/integrity/${recordId}`, { cookie: other.cookie }), {
      recordId: String(recordId),
    })
    expect(page.status).toBe(404)
    const posted = await appeal(recordId, other.cookie, { text: '冒名申诉', confirm: 'yes' })
    expect(posted.status).toBe(404)
    expect(await appealOf(recordId)).toMatchObject({ appeal_text: null, appealed_at: null })
    const junk = await call(integrityPage.loader, makeRequest('/hours/integrity/abc', { cookie: other.cookie }), { recordId: 'abc' })
    expect(junk.status).toBe(404)
  })
})

describe('the base’s integrity records on /base and /hr/bases/:baseId', () => {
  test('a confirmed record against the base is listed with its finding, document number and dates', async () => {
    const { baseId, staff } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const finder = await hrOf()
    const colleague = await hrOf()
    const finding = '报送名单中 3 人未实际参加培训，系虚报。'
    const proposed = await tx(db(), (trx) =>
      proposeBaseFinding(
        trx,
        finder,
        { activityId, finding, documentNumber: '长人社诚字〔2026〕88号', evidence: { filename: '认定书.pdf', bytes: PDF_EVIDENCE } },
        new Date(),
      ),
    )
    if (!proposed.ok) throw new Error(proposed.code)
    const staffCookie = await cookieFor(db(), staff.accountId)
    // Not yet confirmed: not the base's record yet.
    expect((await call(baseHome.loader, makeRequest('/base', { cookie: staffCookie }))).data.integrity).toEqual([])
    const confirmed = await tx(db(), (trx) => confirmFinding(trx, colleague, proposed.recordId, new Date()))
    if (!confirmed.ok) throw new Error(confirmed.code)
    const today = chinaDay()
    const expected = {
      id: proposed.recordId,
      status: 'in_force',
      finding,
      documentNumber: '长人社诚字〔2026〕88号',
      startsOn: today,
      endsOn: confirmed.endsOn,
    }
    expect((await call(baseHome.loader, makeRequest('/base', { cookie: staffCookie }))).data.integrity).toEqual([expected])
    const hrPage = await call(hrBase.loader, makeRequest(`/hr/bases/${baseId}`, { cookie: finder.cookie }), { baseId: String(baseId) })
    expect(hrPage.data.integrity).toEqual([expected])
  })
})
