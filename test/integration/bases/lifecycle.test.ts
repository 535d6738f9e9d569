import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'

import {
  attachApplicationFile,
  createApplication,
  forwardApplication,
  getApplication,
  returnApplication,
  submitApplication,
  updateApplication,
} from '#app/domain/bases/applications.server.ts'
import { approveApplication, designateDue } from '#app/domain/bases/decisions.server.ts'
import { canBaseDeliver } from '#app/domain/bases/gate.server.ts'
import type { Actor } from '#app/domain/bases/lifecycle.ts'
import { answerRectification, openRectification, revokeBase, sendRectificationReminder } from '#app/domain/bases/rectification.server.ts'
import { baseHistory, listRegistry, registryEntry } from '#app/domain/bases/registry.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { applicationInput, approvedBase, makeCreditCode, tx } from '#test/factories/bases.ts'
import { createLearner, createStaff } from '#test/factories/people.ts'
import { JOBS } from '#workers/jobs/contract.ts'
import { processJob } from '#workers/jobs/index.ts'

const db = () => getDb()
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function people() {
  const applicantAccount = await createLearner(db())
  const hrChangchun = await createStaff(db(), 'hr', { scopeRegion: '220100' })
  const hrJilinCity = await createStaff(db(), 'hr', { scopeRegion: '220200' })
  const admin = await createStaff(db(), 'admin')
  return {
    applicantPerson: applicantAccount.personId,
    applicant: { role: 'applicant', accountId: applicantAccount.accountId } as const satisfies Actor,
    hr: { role: 'hr', accountId: hrChangchun.accountId, scopeRegion: '220100' } as const satisfies Actor,
    otherHr: { role: 'hr', accountId: hrJilinCity.accountId, scopeRegion: '220200' } as const satisfies Actor,
    province: { role: 'admin', accountId: admin.accountId } as const satisfies Actor,
  }
}

const eventsOf = (applicationId: number) =>
  db()
    .selectFrom('base_status_events')
    .select(['event', 'from_state', 'to_state', 'section_reasons'])
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute()

describe('a base from application to revocation, through the domain functions', () => {
  test('apply → returned with section reasons → resubmit → forward → approve (公示) → designated → rectification → answer → revoke → gate', async () => {
    const p = await people()
    const input = applicationInput()

    // Apply: a draft with a material, then submitted; the applicant can no longer edit it.
    const created = await tx(db(), (t) => createApplication(t, p.applicant.accountId, input))
    if (!created.ok) throw new Error(created.code)
    const id = created.applicationId
    expect(
      await tx(db(), (t) => attachApplicationFile(t, p.applicant.accountId, id, { filename: '营业执照.pdf', bytes: PDF })),
    ).toMatchObject({ ok: true })
    expect(await tx(db(), (t) => submitApplication(t, p.applicant, id))).toEqual({ ok: true })
    expect(await tx(db(), (t) => updateApplication(t, p.applicant.accountId, id, input))).toEqual({ ok: false, code: 'not_editable' })

    // HR Changchun returns it with a reason for the faculty section; the applicant is told.
    expect(await tx(db(), (t) => returnApplication(t, p.hr, id, { faculty: '缺少师资证书', capacity: '' }))).toEqual({ ok: true })
    const returned = await getApplication(db(), p.applicant, id)
    expect(returned).toMatchObject({ state: 'returned', section_reasons: { faculty: '缺少师资证书' } })
    const told = await db().selectFrom('notices').select('kind').where('person_id', '=', p.applicantPerson).execute()
    expect(told.map((n) => n.kind)).toContain('base_application_returned')

    // Fixed and resubmitted, then forwarded to the province.
    expect(await tx(db(), (t) => updateApplication(t, p.applicant.accountId, id, { ...input, seats: 300 }))).toEqual({ ok: true })
    expect(await tx(db(), (t) => submitApplication(t, p.applicant, id))).toEqual({ ok: true })
    expect(await tx(db(), (t) => forwardApplication(t, p.hr, id))).toEqual({ ok: true })

    // The province approves: a public notice of 7 days (bases.json), the term from the day after.
    const approved = await tx(db(), (t) =>
      approveApplication(t, p.province, id, { decisionNumber: '吉人社基〔2027〕1号', noticeStart: '2027-01-04' }, { on: '2027-01-04' }),
    )
    expect(approved).toMatchObject({ ok: true, noticeEnd: '2027-01-10', termStart: '2027-01-11', termEnd: '2030-01-10' })
    if (!approved.ok) return
    const baseId = approved.baseId
    expect((await listRegistry(db(), { on: '2027-01-05' })).map((e) => [e.id, e.statusOn])).toEqual([[baseId, 'in_notice']])
    expect(await canBaseDeliver(db(), baseId, '2027-01-05')).toEqual({ ok: false, code: 'not_designated' })

    // After the notice: designated on its own (status at a date), then recorded by the due run.
    expect((await listRegistry(db(), { on: '2027-01-11' }))[0]?.statusOn).toBe('designated')
    expect(await designateDue(db(), { on: '2027-01-10' })).toBe(0)
    expect(await designateDue(db(), { on: '2027-01-11' })).toBe(1)
    expect(await canBaseDeliver(db(), baseId, '2027-03-01')).toMatchObject({ ok: true, status: 'designated', termEnd: '2030-01-10' })
    // Training dated during the notice, before the term: outside it.
    expect(await canBaseDeliver(db(), baseId, '2027-01-08')).toEqual({ ok: false, code: 'outside_term' })
    expect(await canBaseDeliver(db(), baseId, '2030-01-11')).toEqual({ ok: false, code: 'outside_term' })

    // A rectification case with a reminder job delayed until 14 days before the deadline.
    const staff = await createStaff(db(), 'base_staff', { baseId })
    const baseActor: Actor = { role: 'base_staff', accountId: staff.accountId, baseId }
    const opened = await tx(db(), (t) =>
      openRectification(
        t,
        p.hr,
        baseId,
        { findings: { faculty: '专职教师不足', training_delivered: '培训量不足' }, deadline: '2027-08-30' },
        { on: '2027-06-01' },
      ),
    )
    expect(opened).toMatchObject({ ok: true, deadline: '2027-08-30', remindOn: '2027-08-16' })
    if (!opened.ok) return
    const job = await db()
      .selectFrom('outbox')
      .select(['payload'])
      .where('job_name', '=', 'base.rectification_reminder')
      .executeTakeFirstOrThrow()
    expect(job.payload).toEqual({ caseId: opened.caseId, remindOn: '2027-08-16' })
    const delay = JOBS['base.rectification_reminder'].delayOf(job.payload, new Date('2027-06-01T08:00:00+08:00'))
    expect(delay).toBe(76 * 86_400_000)
    expect(await canBaseDeliver(db(), baseId, '2027-07-01')).toMatchObject({ ok: true, status: 'rectification' })

    // The base answers with evidence; then HR revokes it from 2027-09-15.
    expect(
      await tx(db(), (t) =>
        answerRectification(
          t,
          baseActor,
          baseId,
          { answer: '已补充专职教师 5 名', files: [{ filename: 'r.pdf', bytes: PDF }] },
          { on: '2027-07-01' },
        ),
      ),
    ).toEqual({
      ok: true,
      caseId: opened.caseId,
    })
    expect(await sendRectificationReminder(db(), opened.caseId, '2027-08-16', new Date('2027-08-16T09:00:00+08:00'))).toBe('answered')
    expect(
      await tx(db(), (t) =>
        revokeBase(
          t,
          p.hr,
          baseId,
          { reason: '整改复查不合格', documentNumber: '吉人社基〔2027〕9号', effectiveOn: '2027-09-15' },
          { on: '2027-09-01' },
        ),
      ),
    ).toEqual({ ok: true, caseId: opened.caseId })

    // The gate: allowed before the effective date, refused from it on.
    expect(await canBaseDeliver(db(), baseId, '2027-09-14')).toMatchObject({ ok: true, status: 'rectification' })
    expect(await canBaseDeliver(db(), baseId, '2027-09-15')).toEqual({ ok: false, code: 'revoked' })
    expect(await canBaseDeliver(db(), baseId, new Date('2028-01-01T00:00:00+08:00'))).toEqual({ ok: false, code: 'revoked' })

    // The registry and the history tell the whole story.
    const entry = await registryEntry(db(), baseId, { on: '2027-09-15' })
    expect(entry).toMatchObject({
      statusOn: 'revoked',
      revoked_on: '2027-09-15',
      revocation_document: '吉人社基〔2027〕9号',
      trainingFields: ['engineering'],
    })
    expect(entry?.history.map((h) => `${h.event}:${h.to_state}`)).toEqual([
      'create:draft',
      'submit:submitted',
      'return:returned',
      'submit:submitted',
      'forward:forwarded',
      'approve:approved',
      'designate:designated',
      'open_rectification:rectification',
      'answer_rectification:rectification',
      'revoke:revoked',
    ])
    expect((await eventsOf(id)).find((e) => e.event === 'return')?.section_reasons).toEqual({ faculty: '缺少师资证书' })
    const staffNotices = await db().selectFrom('notices').select('kind').where('person_id', '=', staff.personId).orderBy('id').execute()
    expect(staffNotices.map((n) => n.kind)).toEqual(['base_rectification_opened', 'base_revoked'])
    const audited = await db().selectFrom('audit_log').select('action').where('target_type', 'in', ['base', 'base_application']).execute()
    expect(audited.length).toBeGreaterThanOrEqual(10)

    // Revoked is final: a new application for the same code may start again.
    expect(await tx(db(), (t) => createApplication(t, p.applicant.accountId, input))).toMatchObject({ ok: true })
  })

  test('the reminder job: nothing before its day, one notice on it, once', async () => {
    const p = await people()
    const { baseId } = await approvedBase(db(), p.applicant, p.hr, p.province, '2027-01-04')
    const staff = await createStaff(db(), 'base_staff', { baseId })
    await designateDue(db(), { on: '2027-01-11' })
    const opened = await tx(db(), (t) =>
      openRectification(t, p.province, baseId, { findings: { capacity: '教室不足' } }, { on: '2027-02-01' }),
    )
    if (!opened.ok) throw new Error(opened.code)
    // Default deadline 90 days, reminder 14 days before it.
    expect(opened).toMatchObject({ deadline: '2027-05-02', remindOn: '2027-04-18' })
    expect(await sendRectificationReminder(db(), opened.caseId, '2027-04-18', new Date('2027-04-17T12:00:00+08:00'))).toBe('not_yet')
    expect(await sendRectificationReminder(db(), opened.caseId, '2027-04-11', new Date('2027-04-18T12:00:00+08:00'))).toBe('stale')
    const payload = { caseId: opened.caseId, remindOn: '2027-04-18' }
    // Run as the worker runs it (date in the past here, since the real clock is used).
    const ranOnce = await processJob(db(), 'base.rectification_reminder', payload)
    const ranTwice = await processJob(db(), 'base.rectification_reminder', payload)
    const notices = await db()
      .selectFrom('notices')
      .select('kind')
      .where('person_id', '=', staff.personId)
      .where('kind', '=', 'base_rectification_reminder')
      .execute()
    if (new Date() >= new Date('2027-04-18T00:00:00+08:00')) {
      expect([ranOnce, ranTwice]).toEqual(['sent', 'sent'])
      expect(notices).toHaveLength(1)
    } else {
      expect([ranOnce, ranTwice]).toEqual(['not_yet', 'not_yet'])
      expect(await sendRectificationReminder(db(), opened.caseId, '2027-04-18', new Date('2027-04-18T09:00:00+08:00'))).toBe('sent')
      expect(await sendRectificationReminder(db(), opened.caseId, '2027-04-18', new Date('2027-04-18T10:00:00+08:00'))).toBe('sent')
      const after = await db()
        .selectFrom('notices')
        .select('kind')
        .where('person_id', '=', staff.personId)
        .where('kind', '=', 'base_rectification_reminder')
        .execute()
      expect(after).toHaveLength(1)
    }
  })
})

describe('bad input and access: refused, nothing changed', () => {
  test('a wrong credit-code check character', async () => {
    const p = await people()
    const code = makeCreditCode()
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0')
    const r = await tx(db(), (t) => createApplication(t, p.applicant.accountId, applicationInput({ creditCode: wrong })))
    expect(r).toEqual({ ok: false, code: 'invalid', errors: { creditCode: ['err.creditCode.checksum'] } })
    expect(await db().selectFrom('base_applications').select('id').execute()).toEqual([])
  })

  test('a second open application for one credit code, by the domain check and by the partial unique index', async () => {
    const p = await people()
    const input = applicationInput()
    expect(await tx(db(), (t) => createApplication(t, p.applicant.accountId, input))).toMatchObject({ ok: true })
    expect(await tx(db(), (t) => createApplication(t, p.applicant.accountId, input))).toMatchObject({
      ok: false,
      code: 'duplicate_open_application',
    })
    const raw = db()
      .insertInto('base_applications')
      .values({
        applicant_account_id: p.applicant.accountId,
        institution_name: 'x',
        credit_code: input.creditCode,
        region_code: '220100',
        training_fields: '[]',
        classrooms: 1,
        seats: 1,
        online_platform: false,
        faculty: '[]',
        courses: '[]',
        contact: '{}',
        state: 'submitted',
      })
      .execute()
    await expect(raw).rejects.toThrow(/base_applications_open_code/)
    expect(await db().selectFrom('base_applications').select('id').execute()).toHaveLength(1)
  })

  test('HR of another region can neither return, forward nor revoke; a non-province HR cannot approve', async () => {
    const p = await people()
    const created = await tx(db(), (t) => createApplication(t, p.applicant.accountId, applicationInput()))
    if (!created.ok) throw new Error(created.code)
    const id = created.applicationId
    await tx(db(), (t) => submitApplication(t, p.applicant, id))
    expect(await tx(db(), (t) => forwardApplication(t, p.otherHr, id))).toEqual({ ok: false, code: 'not_found' })
    expect(await tx(db(), (t) => returnApplication(t, p.otherHr, id, { faculty: 'x' }))).toEqual({ ok: false, code: 'not_found' })
    await tx(db(), (t) => forwardApplication(t, p.hr, id))
    expect(
      await tx(db(), (t) => approveApplication(t, p.hr, id, { decisionNumber: 'x', noticeStart: '2027-01-04' }, { on: '2027-01-04' })),
    ).toEqual({
      ok: false,
      code: 'forbidden',
    })
    expect(await db().selectFrom('bases').select('id').execute()).toEqual([])
    const { baseId } = await approvedBase(db(), p.applicant, p.hr, p.province, '2027-01-04')
    await designateDue(db(), { on: '2027-01-11' })
    expect(await tx(db(), (t) => openRectification(t, p.otherHr, baseId, { findings: { capacity: 'x' } }, { on: '2027-02-01' }))).toEqual({
      ok: false,
      code: 'not_found',
    })
    expect(await db().selectFrom('rectification_cases').select('id').execute()).toEqual([])
  })

  test('base staff of another base cannot answer; the applicant cannot edit a submitted application', async () => {
    const p = await people()
    const { baseId } = await approvedBase(db(), p.applicant, p.hr, p.province, '2027-01-04')
    await designateDue(db(), { on: '2027-01-11' })
    await tx(db(), (t) => openRectification(t, p.hr, baseId, { findings: { capacity: 'x' } }, { on: '2027-02-01' }))
    const otherBase = await approvedBase(db(), p.applicant, p.hr, p.province, '2027-01-04')
    const stranger = await createStaff(db(), 'base_staff', { baseId: otherBase.baseId })
    const r = await tx(db(), (t) =>
      answerRectification(
        t,
        { role: 'base_staff', accountId: stranger.accountId, baseId: otherBase.baseId },
        baseId,
        { answer: '冒名答复' },
        { on: '2027-02-10' },
      ),
    )
    expect(r).toEqual({ ok: false, code: 'not_found' })
    const c = await db().selectFrom('rectification_cases').select(['answer']).where('base_id', '=', baseId).executeTakeFirstOrThrow()
    expect(c.answer).toBeNull()
    // A non-PDF "PDF" from the right base is refused before anything is written.
    const own = await createStaff(db(), 'base_staff', { baseId })
    const fake = await tx(db(), (t) =>
      answerRectification(
        t,
        { role: 'base_staff', accountId: own.accountId, baseId },
        baseId,
        { answer: 'ok', files: [{ filename: 'a.pdf', bytes: Buffer.from('MZ not a pdf') }] },
        { on: '2027-02-10' },
      ),
    )
    expect(fake).toEqual({ ok: false, code: 'file_type' })

    const created = await tx(db(), (t) => createApplication(t, p.applicant.accountId, applicationInput()))
    if (!created.ok) throw new Error(created.code)
    await tx(db(), (t) => submitApplication(t, p.applicant, created.applicationId))
    const before = await db()
      .selectFrom('base_applications')
      .select(['seats', 'updated_at'])
      .where('id', '=', created.applicationId)
      .executeTakeFirstOrThrow()
    expect(
      await tx(db(), (t) => updateApplication(t, p.applicant.accountId, created.applicationId, applicationInput({ seats: 1 }))),
    ).toEqual({ ok: false, code: 'not_editable' })
    expect(
      await tx(db(), (t) => attachApplicationFile(t, p.applicant.accountId, created.applicationId, { filename: 'a.pdf', bytes: PDF })),
    ).toEqual({
      ok: false,
      code: 'not_editable',
    })
    expect(
      await db()
        .selectFrom('base_applications')
        .select(['seats', 'updated_at'])
        .where('id', '=', created.applicationId)
        .executeTakeFirstOrThrow(),
    ).toEqual(before)
    // Someone else's application is invisible to another applicant.
    const other = await createLearner(db())
    expect(await tx(db(), (t) => submitApplication(t, { role: 'applicant', accountId: other.accountId }, created.applicationId))).toEqual({
      ok: false,
      code: 'not_found',
    })
  })

  test('a status event cannot be updated or deleted (trigger)', async () => {
    const p = await people()
    const { baseId } = await approvedBase(db(), p.applicant, p.hr, p.province, '2027-01-04')
    const [first] = await baseHistory(db(), baseId)
    if (!first) throw new Error('no history')
    await expect(sql`update base_status_events set reason = 'edited' where id = ${first.id}`.execute(db())).rejects.toThrow(/append-only/)
    await expect(sql`delete from base_status_events where id = ${first.id}`.execute(db())).rejects.toThrow(/append-only/)
  })
})
