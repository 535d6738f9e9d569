import { describe, expect, test } from 'vitest'

import { submitClaim } from '#app/domain/claims/external-claims.server.ts'
import { chinaToday } from '#app/domain/claims/external-claims.ts'
import { audit } from '#app/domain/identity/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import * as auditPage from '#app/routes/admin/audit.tsx'
import * as auditCsv from '#app/routes/admin/audit-csv.ts'
import { csvCell } from '#app/routes/admin/audit-view.server.ts'
import * as evidence from '#app/routes/hr/claim-evidence.ts'
import * as person from '#app/routes/hr/person.tsx'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

/** Record views are audited, and the audit log is readable (issue 9, item 19). */
const db = () => getDb()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function setup() {
  const learner = await createLearner(db(), { region: '220100' })
  const hr = await createStaff(db(), 'hr', { scopeRegion: '220100' })
  const admin = await createStaff(db(), 'admin')
  return {
    learner,
    hr,
    admin,
    hrCookie: await cookieFor(db(), hr.accountId),
    adminCookie: await cookieFor(db(), admin.accountId),
  }
}

async function csv(path: string, cookie: string): Promise<Response> {
  return (await auditCsv.loader({ request: makeRequest(path, { cookie }), params: {}, context: {} })) as Response
}

const rowsOf = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).execute()

describe('HR opening a record writes an audit row', () => {
  test("a person's ledger", async () => {
    const { learner, hr, hrCookie } = await setup()
    const res = await call(person.loader, makeRequest(`/hr/people/${learner.personId}`, { cookie: hrCookie }), {
      personId: String(learner.personId),
    })
    expect(res.status).toBe(200)
    const rows = await rowsOf('hr.person.view')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actor_account_id: hr.accountId, target_type: 'person', target_id: String(learner.personId) })
  })

  test('an evidence file (and not when the file is refused)', async () => {
    const { learner, hr, hrCookie } = await setup()
    const r = await submitClaim(
      db(),
      learner.personId,
      { activity: 'academic_conference', title: '年会', category: 'professional', units: '1', occurredOn: chinaToday(new Date()) },
      { filename: 'a.pdf', bytes: PDF },
    )
    if (!r.ok) throw new Error('claim')
    const ok = await call(evidence.loader, makeRequest(`/hr/claims/${r.claimId}/evidence`, { cookie: hrCookie }), { id: String(r.claimId) })
    expect(ok.status).toBe(200)
    const outsider = await createStaff(db(), 'hr', { scopeRegion: '220200' })
    const refused = await call(
      evidence.loader,
      makeRequest(`/hr/claims/${r.claimId}/evidence`, { cookie: await cookieFor(db(), outsider.accountId) }),
      {
        id: String(r.claimId),
      },
    )
    expect(refused.status).toBe(404)
    const rows = await rowsOf('hr.evidence.view')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actor_account_id: hr.accountId, target_type: 'external_claim', target_id: String(r.claimId) })
    expect(rows[0]!.detail).toMatchObject({ personId: learner.personId })
  })
})

describe('the audit log is readable', () => {
  test('names and labels, not codes and ids; in English too', async () => {
    const { learner, hr, hrCookie, adminCookie } = await setup()
    await call(person.loader, makeRequest(`/hr/people/${learner.personId}`, { cookie: hrCookie }), { personId: String(learner.personId) })
    const page = await call(auditPage.loader, makeRequest('/admin/audit', { cookie: adminCookie }))
    const row = page.data.rows.find((r: { action: string }) => r.action === 'hr.person.view')
    expect(row).toMatchObject({ actor: hr.name, actorRole: '人社部门工作人员', actionLabel: '查看个人学时', targetName: learner.name })
    const en = await call(auditPage.loader, makeRequest('/admin/audit', { cookie: `${adminCookie}; xs_lang=en` }))
    expect(en.data.rows.find((r: { action: string }) => r.action === 'hr.person.view')).toMatchObject({
      actionLabel: 'Opened a person’s hours',
      actorRole: 'HR officer',
    })
    expect(page.data.actors.map((a: { name: string }) => a.name)).toContain(hr.name)
  })

  test('filters by actor, action and China date range; pages of 50', async () => {
    const { hr, admin, adminCookie } = await setup()
    for (let i = 0; i < 60; i++)
      await audit(db(), { actorAccountId: hr.accountId, action: 'hours.adjust', targetType: 'person', targetId: i })
    await audit(db(), { actorAccountId: admin.accountId, action: 'api_client.create', targetType: 'api_client', targetId: 1 })
    await audit(db(), { actorAccountId: null, action: 'account.create_staff', targetType: 'account', targetId: 2 })
    // 2026-03-01 00:30 in China is still 2026-02-28 in UTC: it belongs to March 1st.
    await db()
      .insertInto('audit_log')
      .values({
        actor_account_id: admin.accountId,
        action: 'course.publish',
        target_type: 'course',
        target_id: 'x',
        detail: '{}',
        created_at: new Date('2026-02-28T16:30:00Z'),
      })
      .execute()
    const get = (q: string) => call(auditPage.loader, makeRequest(`/admin/audit${q}`, { cookie: adminCookie }))

    const byActor = await get(`?actor=${hr.accountId}`)
    expect(byActor.data.total).toBe(60)
    expect(byActor.data.rows).toHaveLength(50)
    expect(byActor.data.pages).toBe(2)
    const page2 = await get(`?actor=${hr.accountId}&page=2`)
    expect(page2.data.rows).toHaveLength(10)
    expect(new Set([...byActor.data.rows, ...page2.data.rows].map((r: { id: number }) => r.id)).size).toBe(60)

    expect((await get('?action=api_client.create')).data.total).toBe(1)
    const system = await get('?actor=system')
    // Rows without an actor (the CLI; the factory creates staff that way) read as the system.
    expect(system.data.rows.every((r: { actor: string }) => r.actor === '系统（命令行）')).toBe(true)
    expect(system.data.rows.map((r: { target: string }) => r.target)).toContain('账户 #2')
    expect((await get('?from=2026-03-01&to=2026-03-01')).data.rows.map((r: { action: string }) => r.action)).toEqual(['course.publish'])
    expect((await get('?from=2026-02-28&to=2026-02-28')).data.total).toBe(0)
    // Malformed filters are ignored, not errors.
    expect((await get('?actor=x&from=2026-13-45&page=-1')).status).toBe(200)
  })

  test('CSV export: BOM, header in the language, names and labels, ID numbers masked, formulas defused', async () => {
    const { learner, hr, adminCookie } = await setup()
    await audit(db(), {
      actorAccountId: hr.accountId,
      action: 'hr.people.search',
      targetType: 'person',
      targetId: learner.personId,
      detail: { query: learner.idNumber, note: '=HYPERLINK("http://evil")' },
    })
    const res = await csv('/admin/audit.csv?action=hr.people.search', adminCookie)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="xueshi-audit-\d{4}-\d{2}-\d{2}\.csv"$/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // the BOM Excel needs to read UTF-8
    const text = new TextDecoder().decode(bytes) // drops the BOM
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('时间（北京时间）,操作人,操作人角色,操作,操作代码,对象,对象姓名,摘要')
    expect(lines).toHaveLength(3) // header, one row, the final line end
    expect(lines[1]).toContain(hr.name)
    expect(lines[1]).toContain('查询人员')
    expect(lines[1]).toContain(learner.name)
    expect(text).not.toContain(learner.idNumber)
    expect(text).toContain(`${learner.idNumber.slice(0, 6)}********${learner.idNumber.slice(14)}`)
    // A detail is one cell; a formula inside it is data, quoted.
    expect(lines[1]).toMatch(/,"note==HYPERLINK\(""http:\/\/evil""\); query=\d{6}\*{8}\w{4}"$/)
    // A cell that would start a formula in Excel starts with ' instead.
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('a,b')).toBe('"a,b"')
    // The export itself is recorded.
    expect(await rowsOf('audit.export')).toHaveLength(1)
    const en = await (await csv('/admin/audit.csv', `${adminCookie}; xs_lang=en`)).text()
    expect(en.split('\r\n')[0]).toBe('Time (China),Actor,Actor’s role,Action,Action code,Target,Target’s name,Detail')
  })

  test('only administrators', async () => {
    const { hrCookie } = await setup()
    expect((await call(auditCsv.loader, makeRequest('/admin/audit.csv', { cookie: hrCookie }))).status).toBe(403)
  })
})
