import { sql } from 'kysely'
import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import {
  appealRecord,
  cancelFinding,
  confirmFinding,
  decideAppeal,
  evidenceOf,
  inForce,
  listForHr,
  proposeBaseFinding,
  proposeFinding,
  recordsOfPerson,
} from '#app/domain/integrity/records.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { addDays } from '#app/domain/shared/working-days.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { approvedClaim, PDF_EVIDENCE } from '#test/factories/claims.ts'
import { giveHours } from '#test/factories/hours.ts'
import { createLearner, createStaff } from '#test/factories/people.ts'
import { baseWithStaff, commit, declare, rosterCsv, uploadAndStage } from '#test/factories/reports.ts'

const db = () => getDb()

async function hrOf(scopeRegion: string): Promise<HrActor> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion }
}

const evidence = { filename: '核查报告.pdf', bytes: PDF_EVIDENCE }
const finding = (sourceKind: 'claim' | 'entry' | 'roster_row', sourceId: number) => ({
  sourceKind,
  sourceId,
  finding: '参会证明系伪造，主办方出具说明未有该人员参会。',
  documentNumber: '吉人社诚字〔2026〕1号',
  evidence,
})

const counted = async (personId: number) =>
  (
    await db()
      .selectFrom('hour_totals')
      .select(sql<string>`coalesce(sum(counted_hours), 0)`.as('n'))
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow()
  ).n
const reversalsOf = async (entryId: number) =>
  (await db().selectFrom('hour_entries').select('id').where('reverses_id', '=', entryId).execute()).length
const recordCount = async () =>
  Number(
    (
      await db()
        .selectFrom('integrity_records')
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const auditCount = async (action: string) =>
  Number(
    (
      await db()
        .selectFrom('audit_log')
        .select(sql<string>`count(*)`.as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow()
    ).n,
  )

async function claimSetup() {
  const finder = await hrOf('220100')
  const colleague = await hrOf('220100')
  const learner = await createLearner(db())
  const { claimId, entryId } = await approvedClaim(db(), learner.personId, finder)
  return { finder, colleague, learner, claimId, entryId }
}

describe('finding and confirming (four eyes)', () => {
  test('a proposal changes nothing; the proposer cannot confirm; a colleague can, reversing the claim once', async () => {
    const { finder, colleague, learner, claimId, entryId } = await claimSetup()
    const before = await counted(learner.personId)
    expect(Number(before)).toBeGreaterThan(0)
    const now = new Date()
    const p = await tx(db(), (t) => proposeFinding(t, finder, finding('claim', claimId), now))
    if (!p.ok) throw new Error(p.code)
    expect(await counted(learner.personId)).toBe(before)
    expect((await inForce(db(), [learner.personId], chinaDay(now))).size).toBe(0)
    expect((await listForHr(db(), colleague, { awaiting: true })).map((r) => [r.id, r.awaits])).toEqual([[p.recordId, 'confirm']])
    expect(await listForHr(db(), finder, { awaiting: true })).toEqual([])

    expect(await tx(db(), (t) => confirmFinding(t, finder, p.recordId, now))).toEqual({ ok: false, code: 'own_finding' })
    expect(await auditCount('integrity.confirm')).toBe(0)

    const c = await tx(db(), (t) => confirmFinding(t, colleague, p.recordId, now))
    expect(c).toEqual({ ok: true, endsOn: addDays(chinaDay(now), 0).replace(/^\d{4}/, (y) => String(Number(y) + 3)) })
    expect(Number(await counted(learner.personId))).toBe(0)
    expect(await reversalsOf(entryId)).toBe(1)
    expect(await tx(db(), (t) => confirmFinding(t, colleague, p.recordId, now))).toEqual({ ok: false, code: 'not_proposed' })
    expect(await reversalsOf(entryId)).toBe(1)

    const notice = await db()
      .selectFrom('notices')
      .selectAll()
      .where('person_id', '=', learner.personId)
      .where('kind', '=', 'integrity_record')
      .execute()
    expect(notice).toHaveLength(1)
    expect(await auditCount('integrity.propose')).toBe(1)
    expect(await auditCount('integrity.confirm')).toBe(1)
    const mine = await recordsOfPerson(db(), learner.personId, now)
    expect(mine.map((r) => [r.status, r.inForceToday, r.canAppeal])).toEqual([['in_force', true, true]])
    expect(await evidenceOf(db(), { personId: learner.personId }, p.recordId)).toMatchObject({ mime: 'application/pdf' })
  })

  test('an officer of another region is refused and nothing is written', async () => {
    const { finder, learner, claimId } = await claimSetup()
    const other = await hrOf('220200')
    const now = new Date()
    expect(await tx(db(), (t) => proposeFinding(t, other, finding('claim', claimId), now))).toEqual({ ok: false, code: 'out_of_scope' })
    expect(await recordCount()).toBe(0)
    const p = await tx(db(), (t) => proposeFinding(t, finder, finding('claim', claimId), now))
    if (!p.ok) throw new Error(p.code)
    expect(await tx(db(), (t) => confirmFinding(t, other, p.recordId, now))).toEqual({ ok: false, code: 'out_of_scope' })
    const row = await db()
      .selectFrom('integrity_records')
      .select(['status', 'confirmed_by'])
      .where('id', '=', p.recordId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'proposed', confirmed_by: null })
    expect(Number(await counted(learner.personId))).toBeGreaterThan(0)
    // Province HR may confirm anything.
    const province = await hrOf('220000')
    expect((await tx(db(), (t) => confirmFinding(t, province, p.recordId, now))).ok).toBe(true)
  })

  test('bad input: clear codes, nothing written', async () => {
    const { finder, claimId } = await claimSetup()
    const now = new Date()
    const bad = [
      [{ ...finding('claim', claimId), finding: '  ' }, 'finding_required'],
      [{ ...finding('claim', claimId), documentNumber: '' }, 'document_required'],
      [{ ...finding('claim', claimId), evidence: { filename: 'x.pdf', bytes: Buffer.alloc(0) } }, 'evidence_required'],
      [{ ...finding('claim', claimId), evidence: { filename: 'x.pdf', bytes: Buffer.from('not a pdf') } }, 'evidence_type'],
      [
        {
          ...finding('claim', claimId),
          evidence: { filename: 'x.pdf', bytes: Buffer.concat([PDF_EVIDENCE, Buffer.alloc(5 * 1024 * 1024)]) },
        },
        'evidence_too_large',
      ],
      [finding('claim', 999999), 'not_found'],
    ] as const
    for (const [input, code] of bad) expect(await tx(db(), (t) => proposeFinding(t, finder, input, now))).toEqual({ ok: false, code })
    expect(await recordCount()).toBe(0)
    const p = await tx(db(), (t) => proposeFinding(t, finder, finding('claim', claimId), now))
    expect(p.ok).toBe(true)
    expect(await tx(db(), (t) => proposeFinding(t, finder, finding('claim', claimId), now))).toEqual({ ok: false, code: 'already_open' })
    if (!p.ok) return
    expect(await tx(db(), (t) => cancelFinding(t, finder, p.recordId, ' ', now))).toEqual({ ok: false, code: 'reason_required' })
    expect((await tx(db(), (t) => cancelFinding(t, finder, p.recordId, '证据不足', now))).ok).toBe(true)
    // Cancelled: the source may be found again.
    expect((await tx(db(), (t) => proposeFinding(t, finder, finding('claim', claimId), now))).ok).toBe(true)
  })

  test('a ledger entry found falsified is reversed exactly once on confirmation', async () => {
    const finder = await hrOf('220100')
    const colleague = await hrOf('220100')
    const learner = await createLearner(db())
    await giveHours(db(), learner.personId, [{ year: 2025, category: 'professional', hours: '8' }])
    const entry = await db().selectFrom('hour_entries').select('id').where('person_id', '=', learner.personId).executeTakeFirstOrThrow()
    const now = new Date()
    const p = await tx(db(), (t) => proposeFinding(t, finder, finding('entry', entry.id), now))
    if (!p.ok) throw new Error(p.code)
    expect((await tx(db(), (t) => confirmFinding(t, colleague, p.recordId, now))).ok).toBe(true)
    expect(await reversalsOf(entry.id)).toBe(1)
    expect(Number(await counted(learner.personId))).toBe(0)
  })

  test('a roster row found falsified: its entry is reversed once and the person leaves the credited roster', async () => {
    const finder = await hrOf('220100')
    const colleague = await hrOf('220100')
    const { staff, owner, baseId } = await baseWithStaff(db(), '220100')
    const activityId = await declare(db(), { accountId: staff.accountId, baseId })
    const a = await createLearner(db(), { name: '甲' })
    const b = await createLearner(db(), { name: '乙' })
    await commit(
      db(),
      owner,
      await uploadAndStage(
        db(),
        owner,
        activityId,
        rosterCsv([
          ['甲', a.idNumber, '6'],
          ['乙', b.idNumber, '6'],
        ]),
      ),
    )
    const row = await db()
      .selectFrom('activity_credits')
      .select('entry_id')
      .where('activity_id', '=', activityId)
      .where('person_id', '=', a.personId)
      .executeTakeFirstOrThrow()
    const now = new Date()
    const p = await tx(db(), (t) => proposeFinding(t, finder, finding('roster_row', row.entry_id), now))
    if (!p.ok) throw new Error(p.code)
    expect((await tx(db(), (t) => confirmFinding(t, colleague, p.recordId, now))).ok).toBe(true)
    expect(await reversalsOf(row.entry_id)).toBe(1)
    expect(Number(await counted(a.personId))).toBe(0)
    expect(Number(await counted(b.personId))).toBe(6)
    expect(await db().selectFrom('activity_credits').select('person_id').where('activity_id', '=', activityId).execute()).toEqual([
      { person_id: b.personId },
    ])
    // The same roster uploaded again does not credit the person found not to have attended.
    await commit(
      db(),
      owner,
      await uploadAndStage(
        db(),
        owner,
        activityId,
        rosterCsv([
          ['甲', a.idNumber, '6'],
          ['乙', b.idNumber, '7'],
        ]),
      ),
    )
    expect(Number(await counted(a.personId))).toBe(0)
    expect(Number(await counted(b.personId))).toBe(7)

    // The base's falsified report: a record against the base, reversing nothing, its staff told.
    const bp = await tx(db(), (t) =>
      proposeBaseFinding(t, finder, { activityId, finding: '名单虚报', documentNumber: '吉人社诚字〔2026〕2号', evidence }, now),
    )
    if (!bp.ok) throw new Error(bp.code)
    expect((await tx(db(), (t) => confirmFinding(t, colleague, bp.recordId, now))).ok).toBe(true)
    expect(Number(await counted(b.personId))).toBe(7)
    const staffNotices = await db()
      .selectFrom('notices')
      .select('kind')
      .where('person_id', '=', staff.personId)
      .where('kind', '=', 'integrity_record')
      .execute()
    expect(staffNotices).toHaveLength(1)
  })
})

describe('appeals', () => {
  async function confirmed(now: Date) {
    const { finder, colleague, learner, claimId } = await claimSetup()
    const p = await tx(db(), (t) => proposeFinding(t, finder, finding('claim', claimId), now))
    if (!p.ok) throw new Error(p.code)
    const c = await tx(db(), (t) => confirmFinding(t, colleague, p.recordId, now))
    if (!c.ok) throw new Error(c.code)
    return { learner, colleague, recordId: p.recordId, me: { personId: learner.personId, accountId: learner.accountId } }
  }

  test('within appealDays only, once', async () => {
    const confirmedAt = new Date('2026-11-30T02:00:00Z')
    const { me, recordId } = await confirmed(confirmedAt)
    const late = new Date('2026-12-31T02:00:00Z') // 31 days after (appealDays 30)
    expect(await tx(db(), (t) => appealRecord(t, me, recordId, '我确实参加了会议', late))).toEqual({ ok: false, code: 'appeal_closed' })
    const onTime = new Date('2026-12-30T02:00:00Z')
    expect(await tx(db(), (t) => appealRecord(t, me, recordId, ' ', onTime))).toEqual({ ok: false, code: 'text_required' })
    expect(await tx(db(), (t) => appealRecord(t, me, recordId, '我确实参加了会议', onTime))).toEqual({ ok: true })
    expect(await tx(db(), (t) => appealRecord(t, me, recordId, '再次申诉', onTime))).toEqual({ ok: false, code: 'already_appealed' })
    const other = await createLearner(db())
    expect(
      await tx(db(), (t) => appealRecord(t, { personId: other.personId, accountId: other.accountId }, recordId, '申诉', onTime)),
    ).toEqual({
      ok: false,
      code: 'not_found',
    })
  })

  test('province HR withdraws: from then on not in force, no hours restored; regional HR may not decide', async () => {
    const now = new Date()
    const { me, recordId, learner, colleague } = await confirmed(now)
    const today = chinaDay(now)
    expect((await inForce(db(), [learner.personId], today)).get(learner.personId)?.recordId).toBe(recordId)
    const province = await hrOf('220000')
    expect(await tx(db(), (t) => decideAppeal(t, province, recordId, 'withdraw', '证据不足', now))).toEqual({
      ok: false,
      code: 'no_appeal',
    })
    expect((await tx(db(), (t) => appealRecord(t, me, recordId, '我确实参加了会议', now))).ok).toBe(true)
    expect((await listForHr(db(), province, { awaiting: true })).map((r) => r.awaits)).toEqual(['appeal'])
    expect(await tx(db(), (t) => decideAppeal(t, colleague, recordId, 'withdraw', '证据不足', now))).toEqual({
      ok: false,
      code: 'not_province',
    })
    expect(await tx(db(), (t) => decideAppeal(t, province, recordId, 'withdraw', '', now))).toEqual({ ok: false, code: 'reason_required' })
    expect(await tx(db(), (t) => decideAppeal(t, province, recordId, 'withdraw', '主办方补充证明属实', now))).toEqual({
      ok: true,
      status: 'withdrawn',
    })
    expect((await inForce(db(), [learner.personId], today)).size).toBe(0)
    expect(Number(await counted(learner.personId))).toBe(0)
    expect(await tx(db(), (t) => decideAppeal(t, province, recordId, 'uphold', '再议', now))).toEqual({
      ok: false,
      code: 'already_decided',
    })
    expect(await auditCount('integrity.appeal_withdraw')).toBe(1)
  })

  test('upheld: the record stays in force', async () => {
    const now = new Date()
    const { me, recordId, learner } = await confirmed(now)
    expect((await tx(db(), (t) => appealRecord(t, me, recordId, '申诉理由', now))).ok).toBe(true)
    const province = await hrOf('220000')
    expect(await tx(db(), (t) => decideAppeal(t, province, recordId, 'uphold', '证据确凿', now))).toEqual({ ok: true, status: 'in_force' })
    expect((await inForce(db(), [learner.personId], chinaDay(now))).size).toBe(1)
  })
})
