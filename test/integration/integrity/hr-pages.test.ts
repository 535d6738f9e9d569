import { describe, expect, test } from 'vitest'

import { appealRecord } from '#app/domain/integrity/records.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as hrHome from '#app/routes/hr/home.tsx'
import * as listPage from '#app/routes/hr/integrity.tsx'
import * as evidence from '#app/routes/hr/integrity-evidence.ts'
import * as newPage from '#app/routes/hr/integrity-new.tsx'
import * as recordPage from '#app/routes/hr/integrity-record.tsx'
import { tx } from '#test/factories/bases.ts'
import { approvedClaim, PDF_EVIDENCE } from '#test/factories/claims.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { baseWithStaff, commit, declare, rosterCsv, uploadAndStage } from '#test/factories/reports.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()

async function hrOf(scopeRegion = '220100'): Promise<HrActor & { cookie: string }> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion, cookie: await cookieFor(db(), s.accountId) }
}

/** A learner of Changchun (220100) with an approved external-hours claim: its ledger entry holds the hours. */
async function forgedClaim() {
  const l = await createLearner(db())
  const { person_id: personId } = await db()
    .selectFrom('accounts')
    .select('person_id')
    .where('id', '=', l.accountId)
    .executeTakeFirstOrThrow()
  const approver = await hrOf()
  const { claimId, entryId } = await approvedClaim(db(), personId, approver)
  return { ...l, personId, claimId, entryId }
}

type Upload = { name: string; type: string; bytes: Uint8Array }
const pdf: Upload = { name: '认定书.pdf', type: 'application/pdf', bytes: PDF_EVIDENCE }
const FIELDS = { finding: '参会证明系伪造：主办单位函复未举办该次会议。', documentNumber: '长人社诚字〔2026〕7号' }

function findingRequest(cookie: string, query: string, fields: Record<string, string>, file: Upload | null): Request {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  if (file) form.append('evidence', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  return new Request(`http://localhost/hr/integrity/new?${query}`, { method: 'POST', body: form, headers: { Cookie: cookie } })
}

const propose = (cookie: string, claimId: number, fields: Record<string, string> = FIELDS, file: Upload | null = pdf) =>
  call(newPage.action, findingRequest(cookie, `source=claim&id=${claimId}`, fields, file))

async function proposed(cookie: string, claimId: number): Promise<number> {
  const res = await propose(cookie, claimId)
  expect(res.status, JSON.stringify(res.data)).toBe(302)
  const m = /^\/hr\/integrity\/(\d+)\?done=proposed$/.exec(res.headers.get('Location') ?? '')
  expect(m).not.toBeNull()
  return Number(m![1])
}

const recordCount = async () =>
  Number(
    (
      await db()
        .selectFrom('integrity_records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const statusOf = async (id: number) =>
  (await db().selectFrom('integrity_records').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
const act = (cookie: string, recordId: number, form: Record<string, string>) =>
  call(recordPage.action, makeRequest(`/hr/integrity/${recordId}`, { cookie, form }), { recordId: String(recordId) })
const show = (cookie: string, recordId: number) =>
  call(recordPage.loader, makeRequest(`/hr/integrity/${recordId}`, { cookie }), { recordId: String(recordId) })

describe('HR records falsified evidence (/hr/integrity/new)', () => {
  test('the form shows the claim with the ID masked; another region’s officer is refused', async () => {
    const c = await forgedClaim()
    const hr = await hrOf()
    const page = await call(newPage.loader, makeRequest(`/hr/integrity/new?source=claim&id=${c.claimId}`, { cookie: hr.cookie }))
    expect(page.status).toBe(200)
    expect(page.data.source).toMatchObject({ kind: 'claim', sourceId: c.claimId, personId: c.personId })
    expect(JSON.stringify(page.data)).not.toContain(c.idNumber)
    expect(page.data.years).toBeGreaterThan(0)
    const unclear = await call(newPage.loader, makeRequest('/hr/integrity/new?source=nope&id=1', { cookie: hr.cookie }))
    expect(unclear.status).toBe(400)
    const elsewhere = await hrOf('220200')
    expect(
      (await call(newPage.loader, makeRequest(`/hr/integrity/new?source=claim&id=${c.claimId}`, { cookie: elsewhere.cookie }))).status,
    ).toBe(403)
    expect((await propose(elsewhere.cookie, c.claimId)).status).toBe(403)
    expect(await recordCount()).toBe(0)
  })

  test('no evidence, no document number or no finding → 400 with the field’s message, nothing written', async () => {
    const c = await forgedClaim()
    const hr = await hrOf()
    const noFile = await propose(hr.cookie, c.claimId, FIELDS, null)
    expect(noFile.status).toBe(400)
    expect(errorsOf(noFile)).toEqual({ evidence: 'integrityHr.err.evidence_required' })
    const noDocument = await propose(hr.cookie, c.claimId, { ...FIELDS, documentNumber: '  ' })
    expect(noDocument.status).toBe(400)
    expect(errorsOf(noDocument)).toEqual({ documentNumber: 'integrityHr.err.document_required' })
    const nothing = await propose(hr.cookie, c.claimId, { finding: '', documentNumber: '' }, null)
    expect(errorsOf(nothing)).toEqual({
      finding: 'integrityHr.err.finding_required',
      documentNumber: 'integrityHr.err.document_required',
      evidence: 'integrityHr.err.evidence_required',
    })
    const text = await propose(hr.cookie, c.claimId, FIELDS, { name: 'x.pdf', type: 'application/pdf', bytes: Buffer.from('not a pdf') })
    expect(errorsOf(text)).toEqual({ evidence: 'integrityHr.err.evidence_type' })
    expect(await recordCount()).toBe(0)
  })

  test('a finding is proposed; a second one on the same claim is refused', async () => {
    const c = await forgedClaim()
    const hr = await hrOf()
    const id = await proposed(hr.cookie, c.claimId)
    expect(await db().selectFrom('integrity_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toMatchObject({
      status: 'proposed',
      subject: 'person',
      source_kind: 'claim',
      document_number: FIELDS.documentNumber,
      evidence_mime: 'application/pdf',
    })
    const again = await propose(hr.cookie, c.claimId)
    expect(again.status).toBe(409)
    expect(errorsOf(again)._form).toBe('integrityHr.err.already_open')
    expect(await recordCount()).toBe(1)
  })
})

describe('roster findings: a row against the person, the report against the base', () => {
  test('a roster row is found through its report and person; the report itself against the base', async () => {
    const { baseId, staff, owner } = await baseWithStaff(db())
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const l = await createLearner(db())
    await commit(db(), owner, await uploadAndStage(db(), owner, activityId, rosterCsv([[l.name, l.idNumber, '12']])))
    const credit = await db()
      .selectFrom('activity_credits')
      .select('entry_id')
      .where('activity_id', '=', activityId)
      .where('person_id', '=', l.personId)
      .executeTakeFirstOrThrow()
    const hr = await hrOf()
    const rowQuery = `source=roster_row&activity=${activityId}&person=${l.personId}`
    const page = await call(newPage.loader, makeRequest(`/hr/integrity/new?${rowQuery}`, { cookie: hr.cookie }))
    expect(page.data.source).toMatchObject({ kind: 'roster_row', sourceId: Number(credit.entry_id), activityId })
    const row = await call(newPage.action, findingRequest(hr.cookie, rowQuery, FIELDS, pdf))
    expect(row.status, JSON.stringify(row.data)).toBe(302)
    const base = await call(newPage.action, findingRequest(hr.cookie, `source=activity&id=${activityId}`, FIELDS, pdf))
    expect(base.status, JSON.stringify(base.data)).toBe(302)
    const records = await db()
      .selectFrom('integrity_records')
      .select(['subject', 'person_id', 'base_id', 'source_kind', 'source_id'])
      .orderBy('id')
      .execute()
    expect(
      records.map((r) => ({
        ...r,
        person_id: r.person_id && Number(r.person_id),
        base_id: r.base_id && Number(r.base_id),
        source_id: Number(r.source_id),
      })),
    ).toEqual([
      { subject: 'person', person_id: l.personId, base_id: null, source_kind: 'roster_row', source_id: Number(credit.entry_id) },
      { subject: 'base', person_id: null, base_id: baseId, source_kind: 'roster_row', source_id: activityId },
    ])
    const elsewhere = await hrOf('220200')
    expect(
      (await call(newPage.loader, makeRequest(`/hr/integrity/new?source=activity&id=${activityId}`, { cookie: elsewhere.cookie }))).status,
    ).toBe(403)
    expect((await call(newPage.loader, makeRequest(`/hr/integrity/new?source=activity&id=999999999`, { cookie: hr.cookie }))).status).toBe(
      404,
    )
  })
})

describe('four eyes and the record page (/hr/integrity/:recordId)', () => {
  test('the finder cannot confirm; a colleague sees it awaiting and confirms; the hours are reversed', async () => {
    const c = await forgedClaim()
    const finder = await hrOf()
    const colleague = await hrOf()
    const id = await proposed(finder.cookie, c.claimId)

    // what awaits whom: the colleague, not the finder
    const mine = await call(listPage.loader, makeRequest('/hr/integrity', { cookie: finder.cookie }))
    expect(mine.data.awaiting).toEqual([])
    expect(mine.data.others.map((r: { id: number }) => r.id)).toEqual([id])
    const theirs = await call(listPage.loader, makeRequest('/hr/integrity', { cookie: colleague.cookie }))
    expect(theirs.data.awaiting).toHaveLength(1)
    expect(theirs.data.awaiting[0]).toMatchObject({ id, awaits: 'confirm', personId: c.personId })
    expect(theirs.data.awaiting[0].idNumberMasked).toMatch(/\*/)
    expect(JSON.stringify(theirs.data)).not.toContain(c.idNumber)
    expect((await call(hrHome.loader, makeRequest('/hr', { cookie: colleague.cookie }))).data.integrity).toBe(1)
    expect((await call(hrHome.loader, makeRequest('/hr', { cookie: finder.cookie }))).data.integrity).toBe(0)

    const own = await act(finder.cookie, id, { intent: 'confirm', confirm: 'yes' })
    expect(own.status).toBe(403)
    expect(errorsOf(own)._form).toBe('integrityHr.err.own_finding')
    expect(await statusOf(id)).toBe('proposed')
    expect((await show(finder.cookie, id)).data.mine).toBe(true)

    const unconfirmed = await act(colleague.cookie, id, { intent: 'confirm' })
    expect(unconfirmed.status).toBe(400)
    expect(errorsOf(unconfirmed)._form).toBe('err.confirm')
    expect(await statusOf(id)).toBe('proposed')

    const done = await act(colleague.cookie, id, { intent: 'confirm', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(done.data).toMatchObject({ ok: true, intent: 'confirm' })
    expect(done.data.endsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(await statusOf(id)).toBe('in_force')
    const reversal = await db().selectFrom('hour_entries').select('id').where('reverses_id', '=', c.entryId).executeTakeFirst()
    expect(reversal).toBeDefined()
    const twice = await act(colleague.cookie, id, { intent: 'confirm', confirm: 'yes' })
    expect(twice.status).toBe(409)
    expect(errorsOf(twice)._form).toBe('integrityHr.err.not_proposed')

    const page = await show(colleague.cookie, id)
    expect(page.status).toBe(200)
    expect(page.data.record).toMatchObject({ id, status: 'in_force', endsOn: done.data.endsOn, documentNumber: FIELDS.documentNumber })
    expect(JSON.stringify(page.data)).not.toContain(c.idNumber)
  })

  test('another region’s officer: the record, its actions and its evidence are not found', async () => {
    const c = await forgedClaim()
    const finder = await hrOf()
    const id = await proposed(finder.cookie, c.claimId)
    const elsewhere = await hrOf('220200')
    expect((await show(elsewhere.cookie, id)).status).toBe(404)
    expect((await act(elsewhere.cookie, id, { intent: 'confirm', confirm: 'yes' })).status).toBe(404)
    expect((await act(elsewhere.cookie, id, { intent: 'cancel', reason: '误报', confirm: 'yes' })).status).toBe(404)
    const file = (r: string) => call(evidence.loader, makeRequest(`/hr/integrity/${id}/evidence`, { cookie: r }), { recordId: String(id) })
    expect((await file(elsewhere.cookie)).status).toBe(404)
    expect((await call(listPage.loader, makeRequest('/hr/integrity', { cookie: elsewhere.cookie }))).data.others).toEqual([])
    expect(await statusOf(id)).toBe('proposed')

    // in scope: the file as uploaded, typed by its bytes, not sniffed again by the browser
    const got = (await evidence.loader({
      request: makeRequest(`/hr/integrity/${id}/evidence`, { cookie: finder.cookie }),
      params: { recordId: String(id) },
      context: {},
    })) as Response
    expect(got.status).toBe(200)
    expect(got.headers.get('Content-Type')).toBe('application/pdf')
    expect(got.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(Buffer.from(await got.arrayBuffer()).equals(PDF_EVIDENCE)).toBe(true)
  })

  test('a finding is cancelled with a reason (asked for), by any officer of the scope', async () => {
    const c = await forgedClaim()
    const finder = await hrOf()
    const id = await proposed(finder.cookie, c.claimId)
    const noReason = await act(finder.cookie, id, { intent: 'cancel', reason: ' ', confirm: 'yes' })
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason).reason).toBe('integrityHr.err.reason_required')
    expect(await statusOf(id)).toBe('proposed')
    const done = await act(finder.cookie, id, { intent: 'cancel', reason: '经核实材料属实', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(await statusOf(id)).toBe('cancelled')
  })
})

describe('appeals go to province HR', () => {
  test('a regional officer cannot decide; the province withdraws with a reason', async () => {
    const c = await forgedClaim()
    const finder = await hrOf()
    const colleague = await hrOf()
    const id = await proposed(finder.cookie, c.claimId)
    expect((await act(colleague.cookie, id, { intent: 'confirm', confirm: 'yes' })).status).toBe(200)
    const province = await hrOf('220000')

    const early = await act(province.cookie, id, { intent: 'withdraw', reason: '申诉成立', confirm: 'yes' })
    expect(early.status).toBe(409)
    expect(errorsOf(early)._form).toBe('integrityHr.err.no_appeal')

    const appealed = await tx(db(), (trx) =>
      appealRecord(trx, { personId: c.personId, accountId: c.accountId }, id, '证明由主办单位盖章，并非伪造。', new Date()),
    )
    expect(appealed.ok).toBe(true)
    expect((await call(listPage.loader, makeRequest('/hr/integrity', { cookie: province.cookie }))).data.awaiting).toMatchObject([
      { id, awaits: 'appeal' },
    ])
    expect((await call(hrHome.loader, makeRequest('/hr', { cookie: province.cookie }))).data.integrity).toBe(1)

    const regional = await act(colleague.cookie, id, { intent: 'uphold', reason: '维持', confirm: 'yes' })
    expect(regional.status).toBe(403)
    expect(errorsOf(regional)._form).toBe('integrityHr.err.not_province')
    const noReason = await act(province.cookie, id, { intent: 'withdraw', reason: '', confirm: 'yes' })
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason).reason).toBe('integrityHr.err.reason_required')
    expect(await statusOf(id)).toBe('in_force')

    const done = await act(province.cookie, id, { intent: 'withdraw', reason: '主办单位补充证明其确曾参会', confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(done.data).toMatchObject({ ok: true, intent: 'withdraw' })
    expect(await statusOf(id)).toBe('withdrawn')
    const decided = await act(province.cookie, id, { intent: 'uphold', reason: '维持', confirm: 'yes' })
    expect(decided.status).toBe(409)
    expect((await show(province.cookie, id)).data.record).toMatchObject({ status: 'withdrawn', appealDecision: 'withdrawn' })
  })
})
