import { describe, expect, test } from 'vitest'

import { isCompletionFacts } from '#app/domain/hours/certificates/certificate.ts'
import { listCertificates, renderCertificate, verifyCertificate } from '#app/domain/hours/certificates/certificates.server.ts'
import { ceYearOf } from '#app/domain/hours/ledger.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import { finaliseAttendance, myResult, seminarResults } from '#app/domain/seminars/attendance.server.ts'
import { planBlocks } from '#app/domain/seminars/blocks.ts'
import { getDb } from '#app/lib/db.server.ts'
import { createBase, createStaff } from '#test/factories/people.ts'
import { confirmedParticipant, createSeminar, markAttended } from '#test/factories/seminars.ts'

const db = () => getDb()
const DAY = 24 * 3600_000
const BASE_URL = 'https://xueshi.example.cn'

const chinaDayOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)

/** A seminar of 3 full days that ended two days ago: 6 half-day blocks of 3 hours (18 declared). */
async function pastSeminar(opts: { endsInFuture?: boolean } = {}) {
  const now = new Date()
  const startDate = chinaDayOf(new Date(now.getTime() - (opts.endsInFuture ? 1 : 5) * DAY))
  const policy = seminarPolicyOn(startDate)
  const blocks = planBlocks({ startDate, fullDays: 3, halfDays: 0, declaredHours: '18' }, policy.blockTimes).map((b) => ({
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    creditHours: b.creditHours,
  }))
  const { seminarId, hostBaseId } = await createSeminar(
    db(),
    { startDate, endDate: chinaDayOf(blocks[5]!.endsAt), blocks, declaredHours: '18' },
    new Date(now.getTime() - 40 * DAY),
  )
  const staff = await createStaff(db(), 'base_staff', { baseId: hostBaseId })
  return { seminarId, hostBaseId, staff: { accountId: staff.accountId, baseId: hostBaseId }, lastEnd: blocks[5]!.endsAt }
}

async function entriesOf(personId: number) {
  return db()
    .selectFrom('hour_entries')
    .select(['id', 'hours', 'source_kind', 'source_ref', 'reverses_id', 'occurred_at', 'idempotency_key', 'evidence', 'category'])
    .where('person_id', '=', personId)
    .orderBy('id')
    .execute()
}

async function totalOf(personId: number, year: number) {
  const row = await db()
    .selectFrom('hour_totals')
    .select(['recorded_hours', 'counted_hours'])
    .where('person_id', '=', personId)
    .where('ce_year', '=', year)
    .where('category', '=', 'professional')
    .executeTakeFirst()
  return row ? { recorded: row.recorded_hours, counted: row.counted_hours } : null
}

const completionCertificates = (seminarId: number) =>
  db()
    .selectFrom('certificates')
    .select(['id', 'code', 'person_id', 'status', 'kind', 'ce_year', 'ledger_high_water', 'facts'])
    .where('seminar_id', '=', seminarId)
    .orderBy('id')
    .execute()

const count = async (table: 'hour_entries' | 'seminar_results' | 'certificates' | 'outbox') =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('finalising seminar attendance', () => {
  test('partial attendance is credited exactly; finalising again without a change credits nothing', async () => {
    const { seminarId, staff, lastEnd } = await pastSeminar()
    const four = await confirmedParticipant(db(), seminarId)
    const all = await confirmedParticipant(db(), seminarId)
    const none = await confirmedParticipant(db(), seminarId)
    await markAttended(db(), seminarId, four.personId, [0, 1, 3, 5])
    await markAttended(db(), seminarId, all.personId, [0, 1, 2, 3, 4, 5])
    // A block marked "not attended" (signed in, never out) does not count.
    await markAttended(db(), seminarId, none.personId, [2], false)

    const first = await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })
    expect(first).toEqual({ ok: true, revision: 1, credited: 2, reversed: 0, unchanged: 0, certificates: 1 })

    const year = ceYearOf(lastEnd)
    const [e4] = await entriesOf(four.personId)
    expect(await entriesOf(four.personId)).toHaveLength(1)
    expect(e4).toMatchObject({
      hours: '12.00',
      source_kind: 'seminar',
      source_ref: `seminar:${seminarId}`,
      category: 'professional',
      idempotency_key: `seminar:${seminarId}:person:${four.personId}:rev:1`,
    })
    expect(new Date(e4!.occurred_at)).toEqual(lastEnd)
    expect(e4!.evidence).toMatchObject({ seminarId, revision: 1 })
    expect((e4!.evidence as { blocks: number[] }).blocks).toHaveLength(4)
    expect(await totalOf(four.personId, year)).toEqual({ recorded: '12.00', counted: '12.00' })
    expect(await totalOf(all.personId, year)).toEqual({ recorded: '18.00', counted: '18.00' })
    expect(await entriesOf(none.personId)).toEqual([])

    const results = await db().selectFrom('seminar_results').selectAll().where('seminar_id', '=', seminarId).orderBy('person_id').execute()
    expect(results.map((r) => [r.person_id, r.blocks_attended, r.blocks_total, r.hours, r.completed])).toEqual([
      [four.personId, 4, 6, '12.00', false],
      [all.personId, 6, 6, '18.00', true],
      [none.personId, 0, 6, '0.00', false],
    ])
    const seminar = await db()
      .selectFrom('seminars')
      .select(['status', 'attendance_revision', 'finalised_by'])
      .where('id', '=', seminarId)
      .executeTakeFirstOrThrow()
    expect(seminar).toEqual({ status: 'finished', attendance_revision: 1, finalised_by: staff.accountId })
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'seminar.attendance_finalised')
      .execute()
    expect(audit).toEqual([{ action: 'seminar.attendance_finalised', target_id: String(seminarId) }])

    // Only the one who met the share (6/6; 4/6 < 0.8) has a completion certificate, with a render job.
    const certs = await completionCertificates(seminarId)
    expect(certs.map((c) => [c.person_id, c.kind, c.status, c.ce_year, c.ledger_high_water])).toEqual([
      [all.personId, 'seminar_completion', 'pending', year, (await entriesOf(all.personId))[0]!.id],
    ])
    const jobs = await db().selectFrom('outbox').select(['job_name', 'payload']).where('job_name', '=', 'certificate.render').execute()
    expect(jobs).toEqual([{ job_name: 'certificate.render', payload: { certificateId: certs[0]!.id, baseUrl: BASE_URL } }])

    const again = await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })
    expect(again).toEqual({ ok: true, revision: 2, credited: 0, reversed: 0, unchanged: 3, certificates: 0 })
    expect(await entriesOf(four.personId)).toHaveLength(1)
    expect(await entriesOf(all.personId)).toHaveLength(1)
    expect(await totalOf(four.personId, year)).toEqual({ recorded: '12.00', counted: '12.00' })
    expect(await completionCertificates(seminarId)).toHaveLength(1)
  })

  test('a correction is a reversal of the old entry plus a new one, and totals stay exact', async () => {
    const { seminarId, staff, lastEnd } = await pastSeminar()
    const p = await confirmedParticipant(db(), seminarId)
    await markAttended(db(), seminarId, p.personId, [0, 1, 2, 3])
    expect(await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })).toMatchObject({ ok: true, credited: 1 })
    const host = await seminarResults(db(), seminarId, staff.baseId)
    expect(host?.seminar.changedSinceFinalised).toBe(false)

    // Staff mark one more block attended: 5 of 6, now also meeting the completion share.
    await markAttended(db(), seminarId, p.personId, [4])
    expect((await seminarResults(db(), seminarId, staff.baseId))?.seminar.changedSinceFinalised).toBe(true)
    const r = await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })
    expect(r).toEqual({ ok: true, revision: 2, credited: 1, reversed: 1, unchanged: 0, certificates: 1 })
    const entries = await entriesOf(p.personId)
    expect(entries.map((e) => [e.hours, e.source_kind, e.reverses_id])).toEqual([
      ['12.00', 'seminar', null],
      ['-12.00', 'reversal', entries[0]!.id],
      ['15.00', 'seminar', null],
    ])
    expect(entries[2]!.idempotency_key).toBe(`seminar:${seminarId}:person:${p.personId}:rev:2`)
    expect(await totalOf(p.personId, ceYearOf(lastEnd))).toEqual({ recorded: '15.00', counted: '15.00' })
    const result = await db()
      .selectFrom('seminar_results')
      .select(['revision', 'hours', 'entry_id', 'completed'])
      .where('person_id', '=', p.personId)
      .executeTakeFirstOrThrow()
    expect(result).toEqual({ revision: 2, hours: '15.00', entry_id: entries[2]!.id, completed: true })

    // The learner sees which blocks counted at the latest revision.
    const mine = await myResult(db(), p.personId, seminarId)
    expect(mine?.blocks.map((b) => b.attended)).toEqual([true, true, true, true, true, false])
    expect(mine?.blocks.map((b) => b.part)).toEqual(['morning', 'afternoon', 'morning', 'afternoon', 'morning', 'afternoon'])
    expect(mine).toMatchObject({ hours: '15', completed: true, blocksAttended: 5, blocksTotal: 6 })
    expect(mine?.certificate).toMatchObject({ status: 'pending' })
  })

  test('before the last block ends: not_over, nothing written', async () => {
    const { seminarId, staff } = await pastSeminar({ endsInFuture: true })
    const p = await confirmedParticipant(db(), seminarId)
    await markAttended(db(), seminarId, p.personId, [0])
    expect(await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })).toEqual({ ok: false, code: 'not_over' })
    expect(await count('hour_entries')).toBe(0)
    expect(await count('seminar_results')).toBe(0)
    const s = await db()
      .selectFrom('seminars')
      .select(['status', 'attendance_revision'])
      .where('id', '=', seminarId)
      .executeTakeFirstOrThrow()
    expect(s).toEqual({ status: 'published', attendance_revision: 0 })
  })

  test('staff of another base: not_host, nothing written; an unknown seminar: not_found; no blocks: no_blocks', async () => {
    const { seminarId } = await pastSeminar()
    const p = await confirmedParticipant(db(), seminarId)
    await markAttended(db(), seminarId, p.personId, [0, 1, 2, 3, 4, 5])
    const otherBase = await createBase(db(), '另一个基地')
    const other = await createStaff(db(), 'base_staff', { baseId: otherBase })
    const stranger = { accountId: other.accountId, baseId: otherBase }
    expect(await finaliseAttendance(db(), stranger, seminarId, new Date(), { baseUrl: BASE_URL })).toEqual({ ok: false, code: 'not_host' })
    expect(await count('hour_entries')).toBe(0)
    expect(await count('seminar_results')).toBe(0)
    expect(await count('certificates')).toBe(0)
    expect(await seminarResults(db(), seminarId, otherBase)).toBeNull()
    expect(await finaliseAttendance(db(), stranger, 999_999, new Date())).toEqual({ ok: false, code: 'not_found' })

    const empty = await createSeminar(db(), { blocks: [], hostBaseId: otherBase })
    expect(await finaliseAttendance(db(), stranger, empty.seminarId, new Date())).toEqual({ ok: false, code: 'no_blocks' })
  })

  test('the completion certificate renders, verifies, and is superseded when a correction drops completion', async () => {
    const { seminarId, staff } = await pastSeminar()
    const p = await confirmedParticipant(db(), seminarId)
    await markAttended(db(), seminarId, p.personId, [0, 1, 2, 3, 4])
    await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })
    const [cert] = await completionCertificates(seminarId)
    expect(cert).toBeDefined()
    expect(isCompletionFacts(cert!.facts)).toBe(true)
    expect(cert!.facts).toMatchObject({ kind: 'seminar_completion', hours: '15', blocksAttended: 5, blocksTotal: 6, level: 'national' })
    expect(JSON.stringify(cert!.facts)).not.toContain(p.idNumber)
    expect((cert!.facts as { idNumberMasked: string }).idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/)

    expect(await renderCertificate(db(), cert!.id, { baseUrl: BASE_URL })).toBe('rendered')
    const pdf = await db().selectFrom('certificates').select(['pdf', 'status']).where('id', '=', cert!.id).executeTakeFirstOrThrow()
    expect(pdf.status).toBe('ready')
    expect(pdf.pdf?.subarray(0, 5).toString()).toBe('%PDF-')
    // The completion layout, not the hours one: its document title says 结业证书 (UTF-16BE in the info dictionary).
    expect(pdf.pdf!.includes(Buffer.from('结业证书', 'utf16le').swap16())).toBe(true)

    const v = await verifyCertificate(db(), cert!.code)
    expect(v).toMatchObject({ kind: 'seminar_completion', superseded: false, facts: { hours: '15' } })
    const listed = await listCertificates(db(), p.personId)
    expect(listed.map((c) => [c.kind, c.superseded])).toEqual([['seminar_completion', false]])

    // The host corrects: two blocks were not attended after all (3 of 6: no longer completed).
    await markAttended(db(), seminarId, p.personId, [3, 4], false)
    expect(await finaliseAttendance(db(), staff, seminarId, new Date(), { baseUrl: BASE_URL })).toMatchObject({
      ok: true,
      reversed: 1,
      credited: 1,
      certificates: 0,
    })
    expect(await verifyCertificate(db(), cert!.code)).toMatchObject({ kind: 'seminar_completion', superseded: true })
    const after = await listCertificates(db(), p.personId)
    expect(after.find((c) => c.kind === 'seminar_completion')?.superseded).toBe(true)
  })
})
