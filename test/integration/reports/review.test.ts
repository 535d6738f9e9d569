import { describe, expect, test } from 'vitest'

import { acceptReport, reportForHr, reportsForHr, returnReport } from '#app/domain/reports/review.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as reportRoute from '#app/routes/hr/report.tsx'
import * as reportsRoute from '#app/routes/hr/reports.tsx'
import { tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { baseWithStaff, commit, declare, rosterCsv, uploadAndStage } from '#test/factories/reports.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()

async function hrOf(scopeRegion: string): Promise<HrActor & { cookie: string }> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion, cookie: await cookieFor(db(), s.accountId) }
}

/** A Changchun base's activity reported with a roster of two learners. */
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
  return { activityId, baseId, owner, staff, a, b, roster }
}

const activity = (id: number) =>
  db()
    .selectFrom('training_activities')
    .select(['state', 'review_reason', 'reviewed_by', 'late'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
const ledgerCount = async (activityId: number) =>
  (
    await db()
      .selectFrom('hour_entries')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('source_ref', '=', `activity:${activityId}`),
          eb('reverses_id', 'in', eb.selectFrom('hour_entries').select('id').where('source_ref', '=', `activity:${activityId}`)),
        ]),
      )
      .execute()
  ).length
const noticesOf = (kind: string) => db().selectFrom('notices').select(['person_id', 'params']).where('kind', '=', kind).execute()

describe('HR reviews training reports', () => {
  test('HR of the base’s region sees the report awaiting review and accepts it; the base is told; audited', async () => {
    const r = await reported()
    const hr = await hrOf('220100')
    const list = await reportsForHr(db(), hr.scopeRegion)
    expect(list.find((x) => x.id === r.activityId)).toMatchObject({ state: 'reported', credited: 2, late: false })
    expect(await tx(db(), (t) => acceptReport(t, hr, r.activityId))).toEqual({ ok: true })
    expect(await activity(r.activityId)).toMatchObject({ state: 'accepted', reviewed_by: hr.accountId })
    expect(await noticesOf('base_report_accepted')).toEqual([expect.objectContaining({ person_id: r.staff.personId })])
    const logged = await db().selectFrom('audit_log').select('action').where('target_id', '=', String(r.activityId)).execute()
    expect(logged.map((l) => l.action)).toContain('report.accept')
    // Accepted is no longer awaiting: a second review is refused.
    expect(await tx(db(), (t) => returnReport(t, hr, r.activityId, '再看看'))).toEqual({ ok: false, code: 'not_reported' })
  })

  test('a return needs a reason, reverses nothing, and a re-upload sets the report back to reported', async () => {
    const r = await reported()
    const hr = await hrOf('220100')
    const before = await ledgerCount(r.activityId)
    expect(await tx(db(), (t) => returnReport(t, hr, r.activityId, '  '))).toEqual({ ok: false, code: 'reason_required' })
    expect(await tx(db(), (t) => returnReport(t, hr, r.activityId, '名单缺少第二天签到'))).toEqual({ ok: true })
    expect(await activity(r.activityId)).toMatchObject({ state: 'returned', review_reason: '名单缺少第二天签到' })
    expect(await ledgerCount(r.activityId)).toBe(before)
    const totals = await db().selectFrom('hour_totals').select('counted_hours').where('person_id', '=', r.a.personId).execute()
    expect(totals.map((t) => t.counted_hours)).toEqual(['6.00'])
    expect(await noticesOf('base_report_returned')).toEqual([
      expect.objectContaining({ person_id: r.staff.personId, params: expect.objectContaining({ reason: '名单缺少第二天签到' }) }),
    ])
    // Accepting a returned report is refused until the base reports again.
    expect(await tx(db(), (t) => acceptReport(t, hr, r.activityId))).toEqual({ ok: false, code: 'not_reported' })
    await commit(db(), r.owner, await uploadAndStage(db(), r.owner, r.activityId, r.roster))
    expect(await activity(r.activityId)).toMatchObject({ state: 'reported', review_reason: null })
    expect(await tx(db(), (t) => acceptReport(t, hr, r.activityId))).toEqual({ ok: true })
  })

  test('HR of another region: not in the list, the page is 404, accept and return are refused, nothing changes', async () => {
    const r = await reported()
    const other = await hrOf('220200')
    expect((await reportsForHr(db(), other.scopeRegion, 'all')).map((x) => x.id)).not.toContain(r.activityId)
    expect(await reportForHr(db(), other.scopeRegion, r.activityId)).toBeUndefined()
    expect(await tx(db(), (t) => acceptReport(t, other, r.activityId))).toEqual({ ok: false, code: 'not_found' })
    expect(await tx(db(), (t) => returnReport(t, other, r.activityId, '不行'))).toEqual({ ok: false, code: 'not_found' })
    const params = { activityId: String(r.activityId) }
    const page = await call(reportRoute.loader, makeRequest(`/hr/reports/${r.activityId}`, { cookie: other.cookie }), params)
    expect(page.status).toBe(404)
    const post = await call(
      reportRoute.action,
      makeRequest(`/hr/reports/${r.activityId}`, { form: { intent: 'accept', confirm: 'yes' }, cookie: other.cookie }),
      params,
    )
    expect(post.status).toBe(404)
    expect(await activity(r.activityId)).toMatchObject({ state: 'reported', reviewed_by: null })
    // The province sees and may review every base.
    const province = await hrOf('220000')
    expect(await reportForHr(db(), province.scopeRegion, r.activityId)).toMatchObject({ creditedTotal: 2 })
  })

  test('through the pages: the list, the detail with masked IDs, a return without a reason is refused, with one it is done', async () => {
    const r = await reported()
    const hr = await hrOf('220100')
    const list = await call(reportsRoute.loader, makeRequest('/hr/reports', { cookie: hr.cookie }))
    expect(list.data.reports.map((x: { id: number }) => x.id)).toContain(r.activityId)
    const params = { activityId: String(r.activityId) }
    const page = await call(reportRoute.loader, makeRequest(`/hr/reports/${r.activityId}`, { cookie: hr.cookie }), params)
    expect(page.status).toBe(200)
    expect(page.data.credited).toHaveLength(2)
    expect(page.data.credited[0].idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/)
    expect(JSON.stringify(page.data)).not.toContain(r.a.idNumber)
    expect(page.data.files).toEqual([expect.objectContaining({ version: 1, status: 'committed' })])
    const noReason = await call(
      reportRoute.action,
      makeRequest(`/hr/reports/${r.activityId}`, { form: { intent: 'return', reason: '', confirm: 'yes' }, cookie: hr.cookie }),
      params,
    )
    expect(noReason.status).toBe(400)
    const unconfirmed = await call(
      reportRoute.action,
      makeRequest(`/hr/reports/${r.activityId}`, { form: { intent: 'accept' }, cookie: hr.cookie }),
      params,
    )
    expect(unconfirmed.status).toBe(400)
    expect((await activity(r.activityId)).state).toBe('reported')
    const done = await call(
      reportRoute.action,
      makeRequest(`/hr/reports/${r.activityId}`, { form: { intent: 'return', reason: '请补充签到表', confirm: 'yes' }, cookie: hr.cookie }),
      params,
    )
    expect(done).toMatchObject({ status: 200, data: { ok: true, done: 'returned' } })
  })
})
