import { describe, expect, it } from 'vitest'

import {
  campaignStats,
  createCampaign,
  deliverCampaign,
  listCampaigns,
  previewCampaign,
  sendCampaign,
} from '#app/domain/compliance/campaigns.server.ts'
import { refreshAll } from '#app/domain/compliance/refresh.server.ts'
import { listNotices, markNoticeRead } from '#app/domain/identity/notices.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as accountPage from '#app/routes/account/account.tsx'
import * as campaignPage from '#app/routes/hr/compliance-campaign.tsx'
import * as listPage from '#app/routes/hr/compliance-campaigns.tsx'
import { meetYears } from '#test/factories/hours.ts'
import { cookieFor, createStaff } from '#test/factories/people.ts'
import { learnerFrom } from '#test/factories/seminars.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

/**
 * Reminder campaigns (issue 13, item 3): the preview counts the filter's people inside the
 * officer's scope, a send is once, and delivery leaves one recipient row and one notice per person
 * per campaign under retries and concurrent duplicate runs.
 */
const db = getDb()
const NOW = new Date('2026-11-30T04:00:00Z')
const YEAR = 2026

async function officer(scopeRegion: string) {
  const s = await createStaff(db, 'hr', { scopeRegion })
  return { accountId: s.accountId, scopeRegion, cookie: await cookieFor(db, s.accountId) }
}

/** Changchun (220100): 5 short, 1 met, 1 short without an account; Yanbian (222400): 3 short. */
async function world() {
  const short = []
  for (let i = 0; i < 5; i++) short.push(await learnerFrom(db, '220102', { region: '220100' }))
  const met = await learnerFrom(db, '220102', { region: '220100' })
  await meetYears(db, met.personId, [YEAR])
  const noAccount = await learnerFrom(db, '220102', { region: '220100' })
  await db.deleteFrom('accounts').where('id', '=', noAccount.accountId).execute()
  const yanbian = []
  for (let i = 0; i < 3; i++) yanbian.push(await learnerFrom(db, '222401', { region: '222400' }))
  await refreshAll(db, { now: NOW })
  return { short, met, noAccount, yanbian }
}

const FILTER = { year: YEAR, status: 'short' }
const TEXT = { title: '请尽快补足2026年度学时', message: '您本年度继续教育学时尚未达标，请在年底前完成。' }

async function counts(campaignId: number) {
  const rows = await db
    .selectFrom('compliance_campaign_recipients')
    .select(['person_id', 'notice_id', 'delivered_at'])
    .where('campaign_id', '=', campaignId)
    .execute()
  const notices = await db
    .selectFrom('notices')
    .select(['person_id', 'kind', 'params'])
    .where('dedupe_key', 'like', `campaign:${campaignId}:%`)
    .execute()
  return { rows, notices }
}

describe('reminder campaigns', () => {
  it('previews the scoped filter, sends once, and delivers one notice per person under retries and duplicates', async () => {
    const w = await world()
    const cc = await officer('220100')
    const yb = await officer('222400')

    const created = await createCampaign(db, cc, { filter: FILTER, ...TEXT }, NOW)
    expect(created.ok).toBe(true)
    if (!created.ok) return
    const id = created.campaignId

    const preview = await previewCampaign(db, cc.scopeRegion, id)
    expect(preview.ok).toBe(true)
    if (!preview.ok) return
    // The filter's people of Changchun who can read a notice: the 5 short learners, not the met one,
    // not the one without an account, never a Yanbian person.
    expect(preview.count).toBe(5)
    expect(preview.matching).toBe(6)
    expect(preview.sample.map((p) => p.personId).sort((a, b) => a - b)).toEqual(w.short.map((p) => p.personId).sort((a, b) => a - b))
    expect(preview.sample.every((p) => /\*{8}/.test(p.idNumberMasked) && p.regionCode === '220100')).toBe(true)
    expect(preview.notice).toMatchObject({ campaignId: id, title: TEXT.title, message: TEXT.message, year: YEAR })

    // Another scope's campaign does not exist for the officer.
    expect(await previewCampaign(db, yb.scopeRegion, id)).toEqual({ ok: false, code: 'not_found' })
    expect(await sendCampaign(db, yb, id, NOW)).toEqual({ ok: false, code: 'not_found' })
    expect(await campaignStats(db, yb.scopeRegion, id)).toBeNull()
    expect(await listCampaigns(db, yb.scopeRegion)).toEqual([])

    const sent = await sendCampaign(db, cc, id, NOW)
    expect(sent).toEqual({ ok: true, recipients: 5 })
    expect(await sendCampaign(db, cc, id, NOW)).toEqual({ ok: false, code: 'already_sent' })
    const jobs = await db.selectFrom('outbox').select('payload').where('job_name', '=', 'compliance.campaign_send').execute()
    expect(jobs).toHaveLength(1)
    const audits = await db.selectFrom('audit_log').select('target_id').where('action', '=', 'compliance.campaign_send').execute()
    expect(audits.map((a) => a.target_id)).toEqual([String(id)])

    // The job's work, twice at once (small batches so the runs interleave), then again as a retry.
    await Promise.all([deliverCampaign(db, id, { batchSize: 2 }), deliverCampaign(db, id, { batchSize: 2 })])
    await deliverCampaign(db, id, { batchSize: 2 })
    const { rows, notices } = await counts(id)
    const expected = w.short.map((p) => p.personId).sort((a, b) => a - b)
    expect(rows.map((r) => Number(r.person_id)).sort((a, b) => a - b)).toEqual(expected)
    expect(notices.map((n) => Number(n.person_id)).sort((a, b) => a - b)).toEqual(expected)
    expect(rows.every((r) => r.notice_id !== null && r.delivered_at !== null)).toBe(true)
    expect(notices[0]).toMatchObject({ kind: 'compliance.reminder', params: { campaignId: id, title: TEXT.title, year: YEAR } })

    const campaign = await db.selectFrom('compliance_campaigns').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(campaign).toMatchObject({ status: 'sent', recipients_total: 5, sent_by: cc.accountId })
    expect(campaign.finished_at).not.toBeNull()
    expect(await campaignStats(db, cc.scopeRegion, id)).toEqual({ recipients: 5, delivered: 5, read: 0 })

    // A learner reads it; another person's notice cannot be marked by them.
    const reader = w.short[0]!
    const own = (await listNotices(db, reader.personId)).find((n) => n.kind === 'compliance.reminder')!
    expect(await markNoticeRead(db, w.short[1]!.personId, Number(own.id))).toBe(false)
    expect(await markNoticeRead(db, reader.personId, Number(own.id))).toBe(true)
    expect(await campaignStats(db, cc.scopeRegion, id)).toEqual({ recipients: 5, delivered: 5, read: 1 })
    const [listed] = await listCampaigns(db, cc.scopeRegion)
    expect(listed).toMatchObject({ id, status: 'sent', recipients: 5, delivered: 5, read: 1 })
  })

  it('runs two fresh deliveries at once with full batches: still one row and one notice per person', async () => {
    const w = await world()
    const cc = await officer('220100')
    const created = await createCampaign(db, cc, { filter: FILTER, ...TEXT }, NOW)
    if (!created.ok) throw new Error(created.code)
    await sendCampaign(db, cc, created.campaignId, NOW)
    const outcomes = await Promise.all([deliverCampaign(db, created.campaignId), deliverCampaign(db, created.campaignId)])
    expect(outcomes.every((o) => o.ok)).toBe(true)
    const { rows, notices } = await counts(created.campaignId)
    expect(rows).toHaveLength(w.short.length)
    expect(notices).toHaveLength(w.short.length)
    expect(new Set(notices.map((n) => n.person_id)).size).toBe(w.short.length)
  })

  it('keeps a province officer’s Yanbian filter to Yanbian, and refuses an officer a region outside their scope', async () => {
    const w = await world()
    const province = await officer('220000')
    const created = await createCampaign(db, province, { filter: { ...FILTER, region: '222400' }, ...TEXT }, NOW)
    if (!created.ok) throw new Error(created.code)
    const preview = await previewCampaign(db, province.scopeRegion, created.campaignId)
    expect(preview.ok && preview.sample.map((p) => p.personId).sort((a, b) => a - b)).toEqual(
      w.yanbian.map((p) => p.personId).sort((a, b) => a - b),
    )

    const cc = await officer('220100')
    expect(await createCampaign(db, cc, { filter: { ...FILTER, region: '222400' }, ...TEXT }, NOW)).toEqual({
      ok: false,
      code: 'region_out_of_scope',
    })
  })

  it('refuses a bad filter, title or message and creates nothing', async () => {
    const cc = await officer('220100')
    const bad = [
      [{ filter: { year: 'soon', status: 'short' }, ...TEXT }, 'bad_filter'],
      [{ filter: { year: YEAR, status: 'late' }, ...TEXT }, 'bad_filter'],
      [{ filter: { year: YEAR, region: '999999' }, ...TEXT }, 'bad_filter'],
      [{ filter: { year: 1999 }, ...TEXT }, 'bad_filter'],
      [{ filter: { year: 2099 }, ...TEXT }, 'year_not_covered'],
      [{ filter: FILTER, title: '   ', message: TEXT.message }, 'title_required'],
      [{ filter: FILTER, title: 'x'.repeat(61), message: TEXT.message }, 'title_too_long'],
      [{ filter: FILTER, title: TEXT.title, message: '' }, 'message_required'],
      [{ filter: FILTER, title: TEXT.title, message: 'x'.repeat(501) }, 'message_too_long'],
    ] as const
    for (const [input, code] of bad) {
      const r = await createCampaign(db, cc, input, NOW)
      expect(r.ok ? 'created' : r.code, JSON.stringify(input)).toBe(code)
    }
    const n = await db
      .selectFrom('compliance_campaigns')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(0)
  })

  it('through the pages: bad input refused with a message, draft → preview → confirmed send once → the learner reads it', async () => {
    const w = await world()
    const cc = await officer('220100')
    const yb = await officer('222400')
    const form = { year: String(YEAR), status: 'short', region: '', series: '', level: '', integrity: 'any', ...TEXT }

    // The dashboard's link prefills the form.
    const page = await call(
      listPage.loader,
      makeRequest(`/hr/compliance/campaigns?year=${YEAR}&status=short&region=220100`, { cookie: cc.cookie }),
    )
    expect(page.status).toBe(200)
    expect(page.data.defaults).toMatchObject({ year: String(YEAR), status: 'short', region: '220100' })

    const badTitle = await call(
      listPage.action,
      makeRequest('/hr/compliance/campaigns', { cookie: cc.cookie, form: { ...form, title: '' } }),
    )
    expect(badTitle.status).toBe(400)
    expect(errorsOf(badTitle)).toMatchObject({ title: 'complianceCampaigns.err.title_required' })
    const badYear = await call(
      listPage.action,
      makeRequest('/hr/compliance/campaigns', { cookie: cc.cookie, form: { ...form, year: 'x' } }),
    )
    expect(errorsOf(badYear)).toMatchObject({ year: 'complianceCampaigns.err.bad_year' })
    const outside = await call(
      listPage.action,
      makeRequest('/hr/compliance/campaigns', { cookie: cc.cookie, form: { ...form, region: '222400' } }),
    )
    expect(errorsOf(outside)).toMatchObject({ region: 'complianceCampaigns.err.region_out_of_scope' })
    expect(await db.selectFrom('compliance_campaigns').select('id').execute()).toEqual([])

    const created = await call(listPage.action, makeRequest('/hr/compliance/campaigns', { cookie: cc.cookie, form }))
    expect(created.status).toBe(302)
    const path = created.headers.get('Location')!
    const id = /\/hr\/compliance\/campaigns\/(\d+)$/.exec(path)![1]!
    const params = { campaignId: id }

    const draft = await call(campaignPage.loader, makeRequest(path, { cookie: cc.cookie }), params)
    expect(draft.status).toBe(200)
    expect(draft.data.preview.count).toBe(w.short.length)
    expect(JSON.stringify(draft.data)).not.toMatch(/\d{17}[\dX]/)
    expect((await call(campaignPage.loader, makeRequest(path, { cookie: yb.cookie }), params)).status).toBe(404)
    expect(
      (await call(campaignPage.action, makeRequest(path, { cookie: yb.cookie, form: { intent: 'send', confirm: 'yes' } }), params)).status,
    ).toBe(404)

    const unconfirmed = await call(campaignPage.action, makeRequest(path, { cookie: cc.cookie, form: { intent: 'send' } }), params)
    expect(unconfirmed.status).toBe(400)
    expect((await db.selectFrom('compliance_campaigns').select('status').executeTakeFirstOrThrow()).status).toBe('draft')
    const send = await call(campaignPage.action, makeRequest(path, { cookie: cc.cookie, form: { intent: 'send', confirm: 'yes' } }), params)
    expect(send.status).toBe(302)
    const again = await call(
      campaignPage.action,
      makeRequest(path, { cookie: cc.cookie, form: { intent: 'send', confirm: 'yes' } }),
      params,
    )
    expect(again.status).toBe(409)
    expect(again.data).toEqual({ error: 'complianceCampaigns.err.already_sent' })

    await deliverCampaign(db, Number(id))
    const learner = w.short[0]!
    const cookie = await cookieFor(db, learner.accountId)
    const account = await call(accountPage.loader, makeRequest('/account', { cookie }))
    const reminder = account.data.notices.find((n: { kind: string }) => n.kind === 'compliance.reminder')
    expect(reminder).toMatchObject({ params: { title: TEXT.title, year: YEAR }, readAt: null, gap: { met: false } })
    expect(Number(reminder.gap.shortTotal)).toBeGreaterThan(0)

    const read = await call(
      accountPage.action,
      makeRequest('/account', { cookie, form: { intent: 'read-notice', noticeId: String(reminder.id) } }),
    )
    expect(read.status).toBe(200)
    const other = await call(
      accountPage.action,
      makeRequest('/account', {
        cookie: await cookieFor(db, w.short[1]!.accountId),
        form: { intent: 'read-notice', noticeId: String(reminder.id) },
      }),
    )
    expect(other.status).toBe(404)
    const sent = await call(campaignPage.loader, makeRequest(path, { cookie: cc.cookie }), params)
    expect(sent.data.stats).toEqual({ recipients: w.short.length, delivered: w.short.length, read: 1 })
    expect(sent.data.campaign.status).toBe('sent')
  })
})
