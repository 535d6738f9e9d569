import { createHash } from 'node:crypto'

import { describe, expect, test } from 'vitest'

import { chinaToday, MAX_EVIDENCE_BYTES } from '#app/domain/claims/external-claims.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as external from '#app/routes/hours/external.tsx'
import * as hours from '#app/routes/hours/hours.tsx'
import * as evidence from '#app/routes/hr/claim-evidence.ts'
import * as hrClaims from '#app/routes/hr/claims.tsx'
import type { Role } from '#db/schema.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, errorsOf, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const today = chinaToday(new Date())
const YEAR = Number(today.slice(0, 4))

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-not-really-an-image')])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-ish')])

type Upload = { name: string; type: string; bytes: Uint8Array }

function claimRequest(cookie: string | undefined, fields: Record<string, string>, file?: Upload | null): Request {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  if (file) form.append('evidence', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  const headers = new Headers()
  if (cookie) headers.set('Cookie', cookie)
  return new Request('http://localhost/hours/external', { method: 'POST', body: form, headers })
}

const validFields = (overrides: Record<string, string> = {}) => ({
  activity: 'academic_conference',
  title: '第十届东北地区土木工程学术年会',
  category: 'professional',
  units: '2',
  occurredOn: today,
  ...overrides,
})
const pdf = (overrides: Partial<Upload> = {}): Upload => ({ name: 'invitation.pdf', type: 'application/pdf', bytes: PDF, ...overrides })

async function learnerIn(region = '220100') {
  const l = await createLearner(db(), { region })
  const { person_id } = await db().selectFrom('accounts').select('person_id').where('id', '=', l.accountId).executeTakeFirstOrThrow()
  return { ...l, personId: person_id, cookie: await cookieFor(db(), l.accountId) }
}

async function hrIn(scopeRegion: string) {
  const h = await createStaff(db(), 'hr', { scopeRegion })
  return { ...h, cookie: await cookieFor(db(), h.accountId) }
}

async function signIn(role: Exclude<Role, 'hr'>) {
  if (role === 'learner') return learnerIn()
  const s = await createStaff(db(), role)
  return { ...s, cookie: await cookieFor(db(), s.accountId) }
}

async function count(table: 'external_claims' | 'evidence_files' | 'hour_entries' | 'audit_log' | 'hour_totals') {
  return (
    await db()
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n
}

async function counts() {
  return {
    claims: await count('external_claims'),
    files: await count('evidence_files'),
    entries: await count('hour_entries'),
    audit: await count('audit_log'),
  }
}

async function submit(cookie: string, fields = validFields(), file: Upload | null = pdf()) {
  return call(external.action, claimRequest(cookie, fields, file))
}

async function submitted(cookie: string, fields = validFields(), file: Upload | null = pdf()) {
  const res = await submit(cookie, fields, file)
  expect(res.status, JSON.stringify(res.data)).toBe(200)
  const claim = await db().selectFrom('external_claims').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
  return claim
}

function decide(cookie: string, form: Record<string, string>) {
  return call(hrClaims.action, makeRequest('/hr/claims', { form, cookie }))
}

describe('learner reports external hours (hours/external)', () => {
  test('a valid claim is pending; the file is stored with its SHA-256 and the type read from its bytes', async () => {
    const me = await learnerIn()
    const res = await submit(me.cookie, validFields(), pdf({ type: 'application/octet-stream' }))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ ok: true, claimedHours: '12' })
    const claim = await db().selectFrom('external_claims').selectAll().executeTakeFirstOrThrow()
    expect(claim).toMatchObject({
      person_id: me.personId,
      ce_year: YEAR,
      activity: 'academic_conference',
      category: 'professional',
      status: 'pending',
      occurred_on: today,
      decided_by: null,
      ledger_entry_id: null,
    })
    expect(Number(claim.units)).toBe(2)
    expect(Number(claim.claimed_hours)).toBe(12)
    expect(claim.policy_version).toMatch(new RegExp(`^${YEAR}\\.`))
    const file = await db().selectFrom('evidence_files').selectAll().executeTakeFirstOrThrow()
    expect(file).toMatchObject({ claim_id: claim.id, filename: 'invitation.pdf', content_type: 'application/pdf', size: PDF.length })
    expect(file.sha256).toBe(createHash('sha256').update(PDF).digest('hex'))
    expect(Buffer.compare(file.bytes, PDF)).toBe(0)
    // Nothing is credited before HR approves.
    expect(await count('hour_entries')).toBe(0)
    // The learner sees it in their list, with its status.
    const page = await call(external.loader, makeRequest('/hours/external', { cookie: me.cookie }))
    expect(page.data.claims).toHaveLength(1)
    expect(page.data.claims[0]).toMatchObject({
      status: 'pending',
      claimedHours: '12',
      units: '2',
      ceYear: YEAR,
      filename: 'invitation.pdf',
    })
    expect(page.data.conversion.options.map((o: { key: string }) => o.key)).toContain('academic_conference')
  })

  test('learners see only their own claims', async () => {
    const a = await learnerIn()
    const b = await learnerIn()
    await submitted(a.cookie)
    const page = await call(external.loader, makeRequest('/hours/external', { cookie: b.cookie }))
    expect(page.data.claims).toEqual([])
  })

  test('PNG and JPEG files are accepted, typed by their magic bytes', async () => {
    const me = await learnerIn()
    await submitted(me.cookie, validFields(), { name: 'photo.png', type: 'image/png', bytes: PNG })
    await submitted(me.cookie, validFields(), { name: 'scan.JPG', type: 'image/jpeg', bytes: JPEG })
    const types = await db().selectFrom('evidence_files').select('content_type').orderBy('id').execute()
    expect(types.map((t) => t.content_type)).toEqual(['image/png', 'image/jpeg'])
  })

  test('claimed hours are computed and capped by the server; a client-sent figure is ignored', async () => {
    const me = await learnerIn()
    // academic_conference: 6 per day, at most 24.
    const capped = await submitted(
      me.cookie,
      validFields({ units: '10', claimedHours: '999', claimed_hours: '999' } as Record<string, string>),
    )
    expect(Number(capped.claimed_hours)).toBe(24)
    // lecture: 3 per half day, at most 12; 1.5 half days → 4.5.
    const half = await submitted(me.cookie, validFields({ activity: 'lecture', units: '1.5', category: 'public' }))
    expect(Number(half.claimed_hours)).toBe(4.5)
    expect(half.category).toBe('public')
  })

  test('a file over 5 MB → field error in the catalog, nothing written', async () => {
    const me = await learnerIn()
    const big = Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x20)
    PDF.copy(big)
    const before = await counts()
    const res = await submit(me.cookie, validFields(), pdf({ bytes: big }))
    expect(res.status).toBe(413)
    expect(res.data.ok).toBe(false)
    expect(errorsOf(res)).toEqual({ evidence: 'err.evidence.tooLarge' })
    expect(await counts()).toEqual(before)
  })

  test('exactly 5 MB is accepted', async () => {
    const me = await learnerIn()
    const max = Buffer.alloc(MAX_EVIDENCE_BYTES, 0x20)
    PDF.copy(max)
    const claim = await submitted(me.cookie, validFields(), pdf({ bytes: max }))
    const file = await db().selectFrom('evidence_files').select(['size']).where('claim_id', '=', claim.id).executeTakeFirstOrThrow()
    expect(file.size).toBe(MAX_EVIDENCE_BYTES)
  })

  test('a .pdf that is really text → field error (magic bytes, not name or type), nothing written', async () => {
    const me = await learnerIn()
    const before = await counts()
    const res = await submit(me.cookie, validFields(), {
      name: 'certificate.pdf',
      type: 'application/pdf',
      bytes: Buffer.from('this is not a PDF, just text pretending to be one'),
    })
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ evidence: 'err.evidence.type' })
    expect(await counts()).toEqual(before)
    // An HTML file named .png does not pass either.
    const html = await submit(me.cookie, validFields(), {
      name: 'x.png',
      type: 'image/png',
      bytes: Buffer.from('<html><script>alert(1)</script></html>'),
    })
    expect(errorsOf(html)).toEqual({ evidence: 'err.evidence.type' })
    expect(await counts()).toEqual(before)
  })

  test('no file → field error; other fields are checked at the same time', async () => {
    const me = await learnerIn()
    const res = await submit(me.cookie, validFields({ units: '0', activity: 'space_walk' }), null)
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toMatchObject({ evidence: 'err.evidence.required', units: 'err.claim.units' })
    const units = await submit(me.cookie, validFields({ units: '1.25' }))
    expect(errorsOf(units)).toEqual({ units: 'err.claim.units' })
    const activity = await submit(me.cookie, validFields({ activity: 'space_walk' }))
    expect(errorsOf(activity)).toEqual({ activity: 'err.choice' })
    expect(await count('external_claims')).toBe(0)
  })

  test('a future date, a year too old for make-up, or a malformed date → error, nothing written', async () => {
    const me = await learnerIn()
    const before = await counts()
    const future = await submit(me.cookie, validFields({ occurredOn: addDays(today, 1) }))
    expect(future.status).toBe(400)
    expect(errorsOf(future)).toEqual({ occurredOn: 'err.claim.future' })
    const old = await submit(me.cookie, validFields({ occurredOn: `${YEAR - 2}-06-01` }))
    expect(errorsOf(old)).toEqual({ occurredOn: 'err.claim.tooOld' })
    const ancient = await submit(me.cookie, validFields({ occurredOn: '2015-06-01' }))
    expect(errorsOf(ancient).occurredOn).toBe('err.claim.tooOld')
    const bogus = await submit(me.cookie, validFields({ occurredOn: `${YEAR}-02-30` }))
    expect(errorsOf(bogus)).toEqual({ occurredOn: 'err.claim.date' })
    expect(await counts()).toEqual(before)
  })

  test('the previous CE year is still accepted (make-up) and counts in that year', async () => {
    const me = await learnerIn()
    const claim = await submitted(me.cookie, validFields({ occurredOn: `${YEAR - 1}-12-31` }))
    expect(claim.ce_year).toBe(YEAR - 1)
  })

  test('signed out → login', async () => {
    const res = await call(external.action, claimRequest(undefined, validFields(), pdf()))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Fhours%2Fexternal')
  })

  test('a form that is not multipart → form error, nothing written', async () => {
    const me = await learnerIn()
    const res = await call(external.action, makeRequest('/hours/external', { form: validFields(), cookie: me.cookie }))
    expect(res.status).toBe(400)
    expect(errorsOf(res)).toEqual({ _form: 'err.upload' })
    expect(await count('external_claims')).toBe(0)
  })
})

describe('HR reviews external claims (hr/claims)', () => {
  test('approve → one ledger entry (right year, category, hours), totals updated, claim approved, audit row', async () => {
    const me = await learnerIn('220100')
    const hr = await hrIn('220100')
    const claim = await submitted(me.cookie, validFields({ units: '3' }))
    const list = await call(hrClaims.loader, makeRequest('/hr/claims', { cookie: hr.cookie }))
    expect(list.data.claims.map((c: { id: number }) => c.id)).toEqual([claim.id])
    expect(list.data.claims[0].idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/)
    expect(JSON.stringify(list.data)).not.toContain(me.idNumber)

    const res = await decide(hr.cookie, { intent: 'approve', confirm: 'yes', claimId: String(claim.id) })
    expect(res.status).toBe(200)
    expect(res.data).toEqual({ ok: true, claimId: claim.id, status: 'approved', already: false })

    const entries = await db().selectFrom('hour_entries').selectAll().execute()
    expect(entries).toHaveLength(1)
    const e = entries[0]!
    expect(e).toMatchObject({
      person_id: me.personId,
      ce_year: YEAR,
      category: 'professional',
      source_kind: 'external',
      idempotency_key: `external:${claim.id}`,
      counted: true,
      created_by: hr.accountId,
    })
    expect(Number(e.hours)).toBe(18)
    expect(e.evidence).toEqual({ claimId: claim.id, title: claim.title, activity: 'academic_conference', units: '3' })

    const after = await db().selectFrom('external_claims').selectAll().where('id', '=', claim.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'approved', decided_by: hr.accountId, ledger_entry_id: e.id })
    expect(after.decided_at).not.toBeNull()

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'external_claim.approve').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_account_id: hr.accountId, target_type: 'external_claim', target_id: String(claim.id) })
    expect(audit[0]!.detail).toMatchObject({ personId: me.personId, ceYear: YEAR, hours: '18', entryId: e.id })

    // The learner's 我的学时 counts it.
    const mine = await call(hours.loader, makeRequest(`/hours?year=${YEAR}`, { cookie: me.cookie }))
    expect(mine.data.selected.earned.professional).toBe('18')
    expect(mine.data.entries[0]).toMatchObject({ sourceKind: 'external', hours: '18', title: claim.title })
    const own = await call(external.loader, makeRequest('/hours/external', { cookie: me.cookie }))
    expect(own.data.claims[0].status).toBe('approved')
  })

  test('approving twice (one after the other, or at the same time) → still one ledger entry and one audit row', async () => {
    const me = await learnerIn()
    const hr = await hrIn('220100')
    const hr2 = await hrIn('220000')
    const claim = await submitted(me.cookie)
    await decide(hr.cookie, { intent: 'approve', confirm: 'yes', claimId: String(claim.id) })
    const again = await decide(hr2.cookie, { intent: 'approve', confirm: 'yes', claimId: String(claim.id) })
    expect(again.data).toEqual({ ok: true, claimId: claim.id, status: 'approved', already: true })

    const other = await submitted(me.cookie)
    const both = await Promise.all([
      decide(hr.cookie, { intent: 'approve', confirm: 'yes', claimId: String(other.id) }),
      decide(hr2.cookie, { intent: 'approve', confirm: 'yes', claimId: String(other.id) }),
    ])
    expect(both.map((r) => r.data.already).sort()).toEqual([false, true])

    expect(await count('hour_entries')).toBe(2)
    const totals = await db()
      .selectFrom('hour_totals')
      .select('counted_hours')
      .where('person_id', '=', me.personId)
      .executeTakeFirstOrThrow()
    expect(Number(totals.counted_hours)).toBe(24)
    expect(await db().selectFrom('audit_log').select('id').where('action', '=', 'external_claim.approve').execute()).toHaveLength(2)
  })

  test('reject needs a reason; with one, the claim is rejected, audited, the learner sees why, and it can no longer be approved', async () => {
    const me = await learnerIn()
    const hr = await hrIn('220100')
    const claim = await submitted(me.cookie)
    const before = await counts()
    const noReason = await decide(hr.cookie, { intent: 'reject', confirm: 'yes', claimId: String(claim.id), reason: '   ' })
    expect(noReason.status).toBe(400)
    expect(errorsOf(noReason)).toEqual({ reason: 'err.required' })
    expect(await counts()).toEqual(before)
    expect((await db().selectFrom('external_claims').select('status').executeTakeFirstOrThrow()).status).toBe('pending')

    const res = await decide(hr.cookie, { intent: 'reject', confirm: 'yes', claimId: String(claim.id), reason: '证明材料与活动名称不符' })
    expect(res.data).toEqual({ ok: true, claimId: claim.id, status: 'rejected', already: false })
    const after = await db().selectFrom('external_claims').selectAll().executeTakeFirstOrThrow()
    expect(after).toMatchObject({
      status: 'rejected',
      decision_reason: '证明材料与活动名称不符',
      decided_by: hr.accountId,
      ledger_entry_id: null,
    })
    expect(await db().selectFrom('audit_log').select('detail').where('action', '=', 'external_claim.reject').execute()).toHaveLength(1)
    const own = await call(external.loader, makeRequest('/hours/external', { cookie: me.cookie }))
    expect(own.data.claims[0]).toMatchObject({ status: 'rejected', reason: '证明材料与活动名称不符' })

    const approve = await decide(hr.cookie, { intent: 'approve', confirm: 'yes', claimId: String(claim.id) })
    expect(approve.status).toBe(409)
    expect(errorsOf(approve)).toEqual({ _form: 'err.claim.decided' })
    expect(await count('hour_entries')).toBe(0)
  })

  test('HR of another region: the claim is not listed, deciding it → 404, its evidence → 404; the province sees it', async () => {
    const me = await learnerIn('220100')
    const claim = await submitted(me.cookie)
    const other = await hrIn('220200')
    const list = await call(hrClaims.loader, makeRequest('/hr/claims', { cookie: other.cookie }))
    expect(list.data.claims).toEqual([])
    const before = await counts()
    expect((await decide(other.cookie, { intent: 'approve', confirm: 'yes', claimId: String(claim.id) })).status).toBe(404)
    expect((await decide(other.cookie, { intent: 'reject', confirm: 'yes', claimId: String(claim.id), reason: '不属实' })).status).toBe(404)
    expect(await counts()).toEqual(before)
    const file = await call(evidence.loader, makeRequest(`/hr/claims/${claim.id}/evidence`, { cookie: other.cookie }), {
      id: String(claim.id),
    })
    expect(file.status).toBe(404)
    // An unknown claim looks the same.
    expect((await decide(other.cookie, { intent: 'approve', confirm: 'yes', claimId: '999999' })).status).toBe(404)

    const province = await hrIn('220000')
    const seen = await call(hrClaims.loader, makeRequest('/hr/claims', { cookie: province.cookie }))
    expect(seen.data.claims.map((c: { id: number }) => c.id)).toEqual([claim.id])
  })

  test('the evidence file is served inline, with the stored type and nosniff, to HR in scope', async () => {
    const me = await learnerIn('220100')
    const claim = await submitted(me.cookie, validFields(), pdf({ name: '邀请函.pdf', type: 'text/html' }))
    const hr = await hrIn('220100')
    const res = (await evidence.loader({
      request: makeRequest(`/hr/claims/${claim.id}/evidence`, { cookie: hr.cookie }),
      params: { id: String(claim.id) },
      context: {},
    })) as Response
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/pdf')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Content-Disposition')).toMatch(/^inline; /)
    expect(res.headers.get('Content-Disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('邀请函.pdf')}`)
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), PDF)).toBe(0)
  })

  test('learners, base staff and admins calling HR claim routes → 403, nothing changes', async () => {
    const me = await learnerIn()
    const claim = await submitted(me.cookie)
    for (const role of ['learner', 'base_staff', 'admin'] as const) {
      const who = role === 'learner' ? me : await signIn(role)
      const before = await counts()
      expect((await decide(who.cookie, { intent: 'approve', confirm: 'yes', claimId: String(claim.id) })).status).toBe(403)
      expect((await call(hrClaims.loader, makeRequest('/hr/claims', { cookie: who.cookie }))).status).toBe(403)
      expect(
        (await call(evidence.loader, makeRequest(`/hr/claims/${claim.id}/evidence`, { cookie: who.cookie }), { id: String(claim.id) }))
          .status,
      ).toBe(403)
      expect(await counts()).toEqual(before)
    }
    expect((await db().selectFrom('external_claims').select('status').executeTakeFirstOrThrow()).status).toBe('pending')
  })
})
