import { describe, expect, test } from 'vitest'

import { attachApplicationFile, createApplication } from '#app/domain/bases/applications.server.ts'
import { designateDue } from '#app/domain/bases/decisions.server.ts'
import type { Actor } from '#app/domain/bases/lifecycle.ts'
import { answerRectification, openRectification } from '#app/domain/bases/rectification.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { loader } from '#app/routes/account/base-file.ts'
import { applicationInput, approvedBase, tx } from '#test/factories/bases.ts'
import { cookieFor, createLearner, createStaff } from '#test/factories/people.ts'
import { call, makeRequest } from '#test/fixtures/http.ts'

const db = () => getDb()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const EVIDENCE = Buffer.from('%PDF-1.4\n% rectification evidence\ntrailer << >>\n%%EOF\n')

async function open(accountId: number, fileId: number) {
  const path = `/bases/files/${fileId}`
  return call(loader, makeRequest(path, { cookie: await cookieFor(db(), accountId) }), { fileId: String(fileId) })
}

const viewsOf = (fileId: number) =>
  db()
    .selectFrom('audit_log')
    .select(['actor_account_id', 'target_type', 'target_id'])
    .where('action', '=', 'base.file.view')
    .where('target_id', '=', String(fileId))
    .execute()

describe('GET /bases/files/:fileId: application materials and rectification evidence', () => {
  test('HR in scope, the applicant get an application material; HR elsewhere and other learners get 404', async () => {
    const applicant = await createLearner(db())
    const otherLearner = await createLearner(db())
    const hrChangchun = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const hrJilinCity = await createStaff(db(), 'hr', { scopeRegion: '220200' })
    const created = await tx(db(), (t) => createApplication(t, applicant.accountId, applicationInput({ regionCode: '220100' })))
    if (!created.ok) throw new Error(created.code)
    const stored = await tx(db(), (t) =>
      attachApplicationFile(t, applicant.accountId, created.applicationId, { filename: '营业执照 "副本".pdf', bytes: PDF }),
    )
    if (!stored.ok) throw new Error(stored.code)
    const fileId = stored.fileId

    const hr = await open(hrChangchun.accountId, fileId)
    expect(hr.status).toBe(200)
    expect(hr.data).toBe(PDF.toString())
    expect(hr.headers.get('Content-Type')).toBe('application/pdf')
    expect(hr.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(hr.headers.get('Cache-Control')).toBe('private, no-store')
    const disposition = hr.headers.get('Content-Disposition') ?? ''
    expect(disposition).toMatch(/^inline; filename="[\x20-\x7e]+"; filename\*=UTF-8''/)
    expect(disposition).not.toMatch(/filename="[^"]*"[^;]*"/)
    expect(await viewsOf(fileId)).toEqual([
      { actor_account_id: hrChangchun.accountId, target_type: 'base_file', target_id: String(fileId) },
    ])

    expect((await open(hrJilinCity.accountId, fileId)).status).toBe(404)
    const own = await open(applicant.accountId, fileId)
    expect(own.status).toBe(200)
    expect(own.data).toBe(PDF.toString())
    expect((await open(otherLearner.accountId, fileId)).status).toBe(404)
    expect((await open(otherLearner.accountId, 999_999_999)).status).toBe(404)
    // Only HR's (allowed) opening was recorded; the applicant opening their own file is not.
    expect(await viewsOf(fileId)).toHaveLength(1)
  })

  test("a base's staff get their own case evidence; another base's staff get 404", async () => {
    const applicant = await createLearner(db())
    const hrChangchun = await createStaff(db(), 'hr', { scopeRegion: '220100' })
    const hrJilinCity = await createStaff(db(), 'hr', { scopeRegion: '220200' })
    const admin = await createStaff(db(), 'admin')
    const hr = { role: 'hr', accountId: hrChangchun.accountId, scopeRegion: '220100' } as const satisfies Actor
    const province = { role: 'admin', accountId: admin.accountId } as const satisfies Actor
    const { baseId } = await approvedBase(db(), { role: 'applicant', accountId: applicant.accountId }, hr, province, '2027-01-04')
    await designateDue(db(), { on: '2027-01-11' })
    const staff = await createStaff(db(), 'base_staff', { baseId })
    const otherStaff = await createStaff(db(), 'base_staff')
    const opened = await tx(db(), (t) => openRectification(t, hr, baseId, { findings: { capacity: '教室不足' } }, { on: '2027-02-01' }))
    if (!opened.ok) throw new Error(opened.code)
    const answered = await tx(db(), (t) =>
      answerRectification(
        t,
        { role: 'base_staff', accountId: staff.accountId, baseId },
        baseId,
        { answer: '已整改', files: [{ filename: '整改报告.pdf', bytes: EVIDENCE }] },
        { on: '2027-02-05' },
      ),
    )
    if (!answered.ok) throw new Error(answered.code)
    const file = await db().selectFrom('base_files').select('id').where('case_id', '=', opened.caseId).executeTakeFirstOrThrow()

    const own = await open(staff.accountId, file.id)
    expect(own.status).toBe(200)
    expect(own.data).toBe(EVIDENCE.toString())
    expect((await open(otherStaff.accountId, file.id)).status).toBe(404)
    expect((await open(hrJilinCity.accountId, file.id)).status).toBe(404)
    expect((await open(hrChangchun.accountId, file.id)).status).toBe(200)
    expect((await open(admin.accountId, file.id)).status).toBe(200)
    expect((await viewsOf(file.id)).map((r) => r.actor_account_id)).toEqual([hrChangchun.accountId, admin.accountId])
  })
})
