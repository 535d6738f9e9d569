import { describe, expect, test } from 'vitest'

import { issueRows, rosterDiff } from '#app/domain/imports/imports.server.ts'
import { disputesForHr, openDispute, reportedForPerson, resolveDispute } from '#app/domain/reports/disputes.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as reportedRoute from '#app/routes/hours/reported.tsx'
import * as disputesRoute from '#app/routes/hr/disputes.tsx'
import { tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { baseWithStaff, commit, declare, rosterCsv, uploadAndStage } from '#test/factories/reports.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()

async function hrOf(scopeRegion: string): Promise<HrActor & { cookie: string }> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion, cookie: await cookieFor(db(), s.accountId) }
}

/** A Changchun base reports two Changchun learners: 甲 6 hours, 乙 6 hours (12 declared). */
async function reported() {
  const { staff, owner, baseId } = await baseWithStaff(db(), '220100')
  const activityId = await declare(db(), { accountId: staff.accountId, baseId })
  const a = await createLearner(db(), { name: '甲' })
  const b = await createLearner(db(), { name: '乙' })
  const roster = rosterCsv([
    ['甲', a.idNumber, '6'],
    ['乙', b.idNumber, '6'],
  ])
  await commit(db(), owner, await uploadAndStage(db(), owner, activityId, roster))
  const entryOf = async (personId: number) =>
    (
      await db()
        .selectFrom('activity_credits')
        .select('entry_id')
        .where('activity_id', '=', activityId)
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow()
    ).entry_id
  return { activityId, baseId, owner, staff, a, b, roster, entryOf }
}

const me = (p: { personId: number; accountId: number }) => ({ personId: p.personId, accountId: p.accountId })
const totalOf = async (personId: number) =>
  (await db().selectFrom('hour_totals').select('counted_hours').where('person_id', '=', personId).executeTakeFirst())?.counted_hours ??
  '0.00'
const disputeRow = (id: number) =>
  db().selectFrom('roster_disputes').select(['state', 'decision_reason', 'decided_by']).where('id', '=', id).executeTakeFirstOrThrow()

describe('learners dispute reported hours; HR of their region resolves', () => {
  test('not me, upheld: the entry is reversed with the reason, totals drop, and a re-upload of the same roster does not credit them again', async () => {
    const r = await reported()
    const hr = await hrOf('220100')
    const entryId = await r.entryOf(r.a.personId)
    const seen = await reportedForPerson(db(), r.a.personId)
    expect(seen.rows).toEqual([expect.objectContaining({ entry_id: entryId, hours: '6', base_name: '测试施教机构', canDispute: true })])
    const opened = await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'not_me', note: '那两天我在外地' }))
    if (!opened.ok) throw new Error(opened.code)
    // One open dispute per entry.
    expect(await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'not_me', note: '' }))).toEqual({
      ok: false,
      code: 'already_open',
    })
    expect((await disputesForHr(db(), hr.scopeRegion)).map((d) => d.id)).toContain(opened.disputeId)
    expect(await tx(db(), (t) => resolveDispute(t, hr, opened.disputeId, { uphold: true, reason: ' ' }))).toEqual({
      ok: false,
      code: 'reason_required',
    })
    expect(await tx(db(), (t) => resolveDispute(t, hr, opened.disputeId, { uphold: true, reason: '经核实签到表无此人' }))).toEqual({
      ok: true,
      state: 'upheld',
    })
    const reversal = await db()
      .selectFrom('hour_entries')
      .select(['hours', 'reason', 'created_by'])
      .where('reverses_id', '=', entryId)
      .executeTakeFirstOrThrow()
    expect(reversal).toEqual({ hours: '-6.00', reason: '经核实签到表无此人', created_by: hr.accountId })
    expect(await totalOf(r.a.personId)).toBe('0.00')
    expect(await totalOf(r.b.personId)).toBe('6.00')
    expect(await disputeRow(opened.disputeId)).toMatchObject({ state: 'upheld', decision_reason: '经核实签到表无此人' })
    const notices = await db().selectFrom('notices').select(['person_id', 'kind']).where('kind', 'like', '%roster_dispute_upheld').execute()
    expect(notices).toEqual(
      expect.arrayContaining([
        { person_id: r.a.personId, kind: 'roster_dispute_upheld' },
        { person_id: r.staff.personId, kind: 'base_roster_dispute_upheld' },
      ]),
    )
    // The base uploads the same roster again: 甲 is excluded, nothing is credited.
    const again = await uploadAndStage(db(), r.owner, r.activityId, r.roster)
    expect(await rosterDiff(db(), again, r.activityId)).toMatchObject({ added: 0, removed: 0, excluded: 1 })
    expect((await issueRows(db(), again)).find((row) => row.row_number === 2)?.issues).toContain('excluded_by_dispute')
    expect(await commit(db(), r.owner, again)).toMatchObject({ added: 0, removed: 0, changed: 0 })
    expect(await totalOf(r.a.personId)).toBe('0.00')
    expect(await totalOf(r.b.personId)).toBe('6.00')
    // The learner sees the decision and its reason; the row is gone from what is credited.
    const after = await reportedForPerson(db(), r.a.personId)
    expect(after.rows).toHaveLength(0)
    expect(after.disputes).toEqual([expect.objectContaining({ state: 'upheld', decision_reason: '经核实签到表无此人' })])
  })

  test('wrong hours, upheld with corrected hours: a reversal and a new credit; totals equal the corrected hours', async () => {
    const r = await reported()
    const hr = await hrOf('220100')
    const entryId = await r.entryOf(r.a.personId)
    expect(await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'wrong_hours', claimedHours: '', note: '' }))).toEqual({
      ok: false,
      code: 'claimed_hours_required',
    })
    expect(await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'wrong_hours', claimedHours: '6.0', note: '' }))).toEqual({
      ok: false,
      code: 'claimed_hours_same',
    })
    const opened = await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'wrong_hours', claimedHours: '12', note: '两天都到了' }))
    if (!opened.ok) throw new Error(opened.code)
    expect(await tx(db(), (t) => resolveDispute(t, hr, opened.disputeId, { uphold: true, reason: '核实', correctedHours: '13' }))).toEqual({
      ok: false,
      code: 'corrected_hours_invalid',
    })
    expect(
      await tx(db(), (t) =>
        resolveDispute(t, hr, opened.disputeId, { uphold: true, reason: '第二天签到表有此人', correctedHours: '10.5' }),
      ),
    ).toEqual({ ok: true, state: 'upheld' })
    expect(await totalOf(r.a.personId)).toBe('10.50')
    const entries = await db()
      .selectFrom('hour_entries')
      .select(['id', 'hours', 'source_kind', 'reverses_id', 'evidence', 'idempotency_key'])
      .where('person_id', '=', r.a.personId)
      .orderBy('id')
      .execute()
    expect(entries.map((e) => [e.hours, e.source_kind])).toEqual([
      ['6.00', 'base_training'],
      ['-6.00', 'reversal'],
      ['10.50', 'base_training'],
    ])
    expect(entries[2]).toMatchObject({
      idempotency_key: `dispute:${opened.disputeId}`,
      evidence: expect.objectContaining({ activityId: r.activityId, disputeId: opened.disputeId }),
    })
    const credit = await db()
      .selectFrom('activity_credits')
      .select(['entry_id', 'hours'])
      .where('activity_id', '=', r.activityId)
      .where('person_id', '=', r.a.personId)
      .executeTakeFirstOrThrow()
    expect(credit).toEqual({ entry_id: entries[2]!.id, hours: '10.50' })
    // The base uploads its original roster again: HR's corrected hours stand, the row says why.
    const again = await uploadAndStage(db(), r.owner, r.activityId, r.roster)
    expect((await issueRows(db(), again)).find((row) => row.row_number === 2)?.issues).toContain('corrected_by_hr')
    expect(await rosterDiff(db(), again, r.activityId)).toMatchObject({ added: 0, removed: 0, changed: 0 })
    expect(await commit(db(), r.owner, again)).toMatchObject({ added: 0, removed: 0, changed: 0 })
    expect(await totalOf(r.a.personId)).toBe('10.50')
  })

  test('dismissed: nothing reversed, the learner gets the reason', async () => {
    const r = await reported()
    const hr = await hrOf('220100')
    const entryId = await r.entryOf(r.a.personId)
    const opened = await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'not_me', note: '' }))
    if (!opened.ok) throw new Error(opened.code)
    expect(await tx(db(), (t) => resolveDispute(t, hr, opened.disputeId, { uphold: false, reason: '签到表有本人签名' }))).toEqual({
      ok: true,
      state: 'dismissed',
    })
    expect(await totalOf(r.a.personId)).toBe('6.00')
    expect(await db().selectFrom('hour_entries').select('id').where('reverses_id', '=', entryId).execute()).toHaveLength(0)
    expect(await db().selectFrom('activity_exclusions').select('person_id').execute()).toHaveLength(0)
    const notice = await db()
      .selectFrom('notices')
      .select('params')
      .where('kind', '=', 'roster_dispute_dismissed')
      .executeTakeFirstOrThrow()
    expect(notice.params).toMatchObject({ reason: '签到表有本人签名' })
    // Decided once: a second decision is refused.
    expect(await tx(db(), (t) => resolveDispute(t, hr, opened.disputeId, { uphold: true, reason: 'x' }))).toEqual({
      ok: false,
      code: 'already_decided',
    })
    // A new dispute of the same entry may be opened once the first is decided.
    expect((await reportedForPerson(db(), r.a.personId)).rows[0]).toMatchObject({ dispute_state: 'dismissed', canDispute: true })
  })

  test('refused: someone else’s entry, after the window, and HR of another region (nothing changes)', async () => {
    const r = await reported()
    const entryA = await r.entryOf(r.a.personId)
    // 乙 disputes 甲's entry: not found for them.
    expect(await tx(db(), (t) => openDispute(t, me(r.b), { entryId: entryA, kind: 'not_me', note: '' }))).toEqual({
      ok: false,
      code: 'not_found',
    })
    // Through the page, too: 404.
    const cookieB = await cookieFor(db(), r.b.accountId)
    const page = await call(
      reportedRoute.action,
      makeRequest('/hours/reported', { form: { entryId: String(entryA), kind: 'not_me' }, cookie: cookieB }),
    )
    expect(page.status).toBe(404)
    // After the window (policy: 180 days after the entry was written).
    const later = new Date(Date.now() + 200 * 86_400_000)
    expect(await tx(db(), (t) => openDispute(t, me(r.a), { entryId: entryA, kind: 'not_me', note: '' }, later))).toEqual({
      ok: false,
      code: 'window_closed',
    })
    expect(await db().selectFrom('roster_disputes').select('id').execute()).toHaveLength(0)
    // HR of another region neither sees nor resolves it.
    const opened = await tx(db(), (t) => openDispute(t, me(r.a), { entryId: entryA, kind: 'not_me', note: '' }))
    if (!opened.ok) throw new Error(opened.code)
    const other = await hrOf('220200')
    expect((await disputesForHr(db(), other.scopeRegion)).map((d) => d.id)).not.toContain(opened.disputeId)
    expect(await tx(db(), (t) => resolveDispute(t, other, opened.disputeId, { uphold: true, reason: '越权' }))).toEqual({
      ok: false,
      code: 'not_found',
    })
    const post = await call(
      disputesRoute.action,
      makeRequest('/hr/disputes', {
        form: { intent: 'uphold', disputeId: String(opened.disputeId), reason: '越权', confirm: 'yes' },
        cookie: other.cookie,
      }),
    )
    expect(post.status).toBe(404)
    expect(await disputeRow(opened.disputeId)).toMatchObject({ state: 'open', decided_by: null })
    expect(await totalOf(r.a.personId)).toBe('6.00')
  })

  test('a person with no region is the province’s: city HR does not see the dispute, province HR does', async () => {
    const r = await reported()
    await db().updateTable('people').set({ region_code: null }).where('id', '=', r.a.personId).execute()
    const entryId = await r.entryOf(r.a.personId)
    const opened = await tx(db(), (t) => openDispute(t, me(r.a), { entryId, kind: 'not_me', note: '' }))
    if (!opened.ok) throw new Error(opened.code)
    const city = await hrOf('220100')
    const province = await hrOf('220000')
    expect((await disputesForHr(db(), city.scopeRegion)).map((d) => d.id)).not.toContain(opened.disputeId)
    expect((await disputesForHr(db(), province.scopeRegion)).map((d) => d.id)).toContain(opened.disputeId)
  })

  test('through the pages: the learner sends a dispute; HR without a reason is refused; with one it is dismissed', async () => {
    const r = await reported()
    const entryId = await r.entryOf(r.a.personId)
    const cookieA = await cookieFor(db(), r.a.accountId)
    const missing = await call(
      reportedRoute.action,
      makeRequest('/hours/reported', { form: { entryId: String(entryId), kind: 'wrong_hours', claimedHours: '' }, cookie: cookieA }),
    )
    expect(missing.status).toBe(400)
    expect(errorsOf(missing)).toEqual({ claimedHours: 'err.review.claimedRequired' })
    const sent = await call(
      reportedRoute.action,
      makeRequest('/hours/reported', {
        form: { entryId: String(entryId), kind: 'wrong_hours', claimedHours: '8', note: '多了半天' },
        cookie: cookieA,
      }),
    )
    expect(sent).toMatchObject({ status: 200, data: { ok: true } })
    const mine = await call(reportedRoute.loader, makeRequest('/hours/reported', { cookie: cookieA }))
    expect(mine.data.rows[0]).toMatchObject({ disputeState: 'open', canDispute: false })
    const hr = await hrOf('220100')
    const list = await call(disputesRoute.loader, makeRequest('/hr/disputes', { cookie: hr.cookie }))
    const d = list.data.disputes.find((x: { personId: number }) => x.personId === r.a.personId)
    expect(d).toMatchObject({ kind: 'wrong_hours', claimedHours: '8', hours: '6' })
    expect(JSON.stringify(list.data)).not.toContain(r.a.idNumber)
    const noReason = await call(
      disputesRoute.action,
      makeRequest('/hr/disputes', { form: { intent: 'dismiss', disputeId: String(d.id), reason: '', confirm: 'yes' }, cookie: hr.cookie }),
    )
    expect(noReason.status).toBe(400)
    const done = await call(
      disputesRoute.action,
      makeRequest('/hr/disputes', {
        form: { intent: 'dismiss', disputeId: String(d.id), reason: '按签到表', confirm: 'yes' },
        cookie: hr.cookie,
      }),
    )
    expect(done).toMatchObject({ status: 200, data: { ok: true, state: 'dismissed' } })
  })
})
