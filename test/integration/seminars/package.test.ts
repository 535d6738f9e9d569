import { describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import {
  packageDraft,
  packageDueOn,
  packageOf,
  remindPackagesDue,
  seminarPackages,
  submitPackage,
} from '#app/domain/seminars/package.server.ts'
import { register } from '#app/domain/seminars/registration.server.ts'
import { submitSurvey } from '#app/domain/seminars/survey.server.ts'
import { addDays } from '#app/domain/shared/working-days.ts'
import { getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { createBase, createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom } from '#test/factories/seminars.ts'
import { processJob } from '#workers/jobs/index.ts'

const db = () => getDb()
const DAY = 24 * 3600_000
const now = new Date()

/** A finished seminar (`startDate`..`endDate`) of its own base, with host staff; `finalised` sets finalised_at. */
async function finishedSeminar(startDate: string, endDate: string, finalised = true) {
  const baseId = await createBase(db(), `主办基地${Math.random()}`)
  const regAt = new Date(Date.parse(`${startDate}T00:00:00+08:00`) - 20 * DAY)
  const { seminarId } = await createSeminar(db(), { hostBaseId: baseId, startDate, endDate, capacity: 3 }, regAt)
  if (finalised) await db().updateTable('seminars').set({ finalised_at: now, attendance_revision: 1 }).where('id', '=', seminarId).execute()
  const staff = await createStaff(db(), 'base_staff', { baseId })
  return { seminarId, baseId, staff: { accountId: staff.accountId, baseId }, regAt }
}

async function counts() {
  const n = async (t: 'seminar_packages' | 'audit_log') =>
    Number(
      (
        await db()
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { packages: await n('seminar_packages'), audit: await n('audit_log') }
}

describe('post-event package', () => {
  test('due 10 working days after the last day, counted over 国庆 2026 with its make-up Saturday', () => {
    // last day Tue 29 Sep: 30 Sep (1), 1–7 Oct off, 8 (2), 9 (3), Sat 10 Oct make-up day (4), 12–16 (5–9), 19 Oct (10)
    expect(packageDueOn({ start_date: '2026-09-28', end_date: '2026-09-29' })).toBe('2026-10-19')
    // plain weeks: Fri 6 Nov 2026 + 10 working days = Fri 20 Nov
    expect(packageDueOn({ start_date: '2026-11-04', end_date: '2026-11-06' })).toBe('2026-11-20')
  })

  test('the host submits once after finalisation; late when China today is after the due day', async () => {
    const { seminarId, staff } = await finishedSeminar('2026-09-28', '2026-09-29')
    const before = await counts()
    const r = await submitPackage(db(), staff, seminarId, '  研修班顺利结束。  ', now)
    expect(r).toEqual({ ok: true, dueOn: '2026-10-19', late: chinaDay(now) > '2026-10-19' })
    const pkg = await packageOf(db(), seminarId)
    expect(pkg).toMatchObject({ due_on: '2026-10-19', summary: '研修班顺利结束。', late: r.ok && r.late, policy_version: 'seminars.1' })
    expect(await counts()).toEqual({ packages: before.packages + 1, audit: before.audit + 1 })
    const again = await submitPackage(db(), staff, seminarId, '再交一次', now)
    expect(again).toMatchObject({ ok: false, code: 'already_submitted' })
    expect(await counts()).toEqual({ packages: before.packages + 1, audit: before.audit + 1 })
    expect((await packageOf(db(), seminarId))?.summary).toBe('研修班顺利结束。')
  })

  test('on time: submitted on the due day is not late; the day after is', async () => {
    const a = await finishedSeminar('2026-09-28', '2026-09-29')
    const b = await finishedSeminar('2026-09-28', '2026-09-29')
    const onDueDay = new Date('2026-10-19T23:30:00+08:00')
    expect(await submitPackage(db(), a.staff, a.seminarId, '按时提交', onDueDay)).toMatchObject({ ok: true, late: false })
    expect(await submitPackage(db(), b.staff, b.seminarId, '逾期提交', new Date('2026-10-20T00:10:00+08:00'))).toMatchObject({
      ok: true,
      late: true,
    })
  })

  test('refused before finalisation, for another base, and without a proper summary: nothing written', async () => {
    const { seminarId, staff } = await finishedSeminar('2026-09-28', '2026-09-29', false)
    const other = await finishedSeminar('2026-09-28', '2026-09-29')
    const before = await counts()
    expect(await submitPackage(db(), staff, seminarId, '总结', now)).toMatchObject({ ok: false, code: 'not_finalised' })
    expect(await submitPackage(db(), other.staff, seminarId, '总结', now)).toMatchObject({ ok: false, code: 'not_host' })
    expect(await submitPackage(db(), staff, other.seminarId, '总结', now)).toMatchObject({ ok: false, code: 'not_host' })
    expect(await submitPackage(db(), other.staff, other.seminarId, '   ', now)).toMatchObject({ ok: false, code: 'summary_required' })
    expect(await submitPackage(db(), other.staff, other.seminarId, '长'.repeat(5001), now)).toMatchObject({
      ok: false,
      code: 'summary_too_long',
    })
    expect(await submitPackage(db(), other.staff, 999_999, '总结', now)).toMatchObject({ ok: false, code: 'not_found' })
    expect(await counts()).toEqual(before)
    expect(await packageOf(db(), seminarId)).toBeNull()
    expect((await submitPackage(db(), other.staff, other.seminarId, '长'.repeat(5000), now)).ok).toBe(true)
  })

  test('the draft: registrations by status, attendance per block, completed, hours, survey below the threshold; stored as the snapshot', async () => {
    const start = chinaDay(new Date(now.getTime() - 3 * DAY))
    const { seminarId, staff, regAt } = await finishedSeminar(start, addDays(start, 1))
    const people = []
    for (let i = 0; i < 4; i++) {
      const p = await learnerFrom(db())
      const r = await tx(db(), (trx) => register(trx, p, seminarId, clickKey(), regAt))
      if (!r.ok) throw new Error(r.code)
      people.push(p)
    }
    const blocks = await db().selectFrom('seminar_blocks').select('id').where('seminar_id', '=', seminarId).orderBy('starts_at').execute()
    expect(blocks).toHaveLength(4)
    // people 0 and 1 attend every block; person 2 signs in to the first block only (not attended)
    for (const p of people.slice(0, 2))
      await db()
        .insertInto('seminar_attendance')
        .values(blocks.map((b) => ({ block_id: b.id, person_id: p.personId, signed_in_at: now, signed_out_at: now, attended: true })))
        .execute()
    await db()
      .insertInto('seminar_attendance')
      .values({ block_id: blocks[0]!.id, person_id: people[2]!.personId, signed_in_at: now })
      .execute()
    await db()
      .insertInto('seminar_results')
      .values([
        {
          seminar_id: seminarId,
          person_id: people[0]!.personId,
          revision: 1,
          blocks_attended: 4,
          blocks_total: 4,
          hours: '0',
          completed: true,
        },
        {
          seminar_id: seminarId,
          person_id: people[1]!.personId,
          revision: 1,
          blocks_attended: 4,
          blocks_total: 4,
          hours: '0',
          completed: true,
        },
        {
          seminar_id: seminarId,
          person_id: people[2]!.personId,
          revision: 1,
          blocks_attended: 0,
          blocks_total: 4,
          hours: '0',
          completed: false,
        },
      ])
      .execute()
    expect(
      (await submitSurvey(db(), people[0]!.personId, seminarId, { content: 5, teachers: 5, organisation: 5, venue: 5, overall: 5 }, now))
        .ok,
    ).toBe(true)
    const draft = await packageDraft(db(), seminarId)
    expect(draft).toMatchObject({
      registrations: { confirmed: 3, waitlisted: 1 },
      participants: 2,
      completed: 2,
      hoursCredited: '0.00',
      survey: { count: 1, min: 5, shown: false },
    })
    expect(draft?.blocks.map((b) => [b.signedIn, b.attended])).toEqual([
      [3, 2],
      [2, 2],
      [2, 2],
      [2, 2],
    ])
    expect(draft?.survey).not.toHaveProperty('ratings')
    expect((await submitPackage(db(), staff, seminarId, '总结', now)).ok).toBe(true)
    expect((await packageOf(db(), seminarId))?.stats).toEqual(JSON.parse(JSON.stringify(draft)))
  })

  test("the base's list: overdue when unsubmitted past the due day, late or on time once submitted", async () => {
    const a = await finishedSeminar('2026-09-28', '2026-09-29')
    const today = '2026-10-20'
    expect(await seminarPackages(db(), { baseId: a.baseId }, today)).toMatchObject([
      { id: a.seminarId, dueOn: '2026-10-19', status: 'overdue' },
    ])
    expect(await seminarPackages(db(), { baseId: a.baseId }, '2026-10-19')).toMatchObject([{ status: 'due' }])
    expect(await seminarPackages(db(), { baseId: a.baseId }, '2026-09-29')).toMatchObject([{ status: 'running' }])
    await submitPackage(db(), a.staff, a.seminarId, '总结', new Date('2026-10-20T09:00:00+08:00'))
    expect(await seminarPackages(db(), { baseId: a.baseId }, today)).toMatchObject([
      { status: 'submitted_late', submittedAt: expect.any(String) },
    ])
    // HR scope: the base is in 220100; an officer of another region does not see it, the province does
    expect(await seminarPackages(db(), { scopeRegion: '220200' }, today)).toEqual([])
    expect((await seminarPackages(db(), { scopeRegion: '220000' }, today)).map((s) => s.id)).toContain(a.seminarId)
  })

  test('base.daily reminds the host staff once, 2 working days before the due day; not earlier, not once late or submitted', async () => {
    const a = await finishedSeminar('2026-09-28', '2026-09-29')
    const b = await finishedSeminar('2026-09-28', '2026-09-29')
    await submitPackage(db(), b.staff, b.seminarId, '总结', new Date('2026-10-09T10:00:00+08:00'))
    const notices = async () =>
      db().selectFrom('notices').select(['kind', 'params']).where('kind', '=', 'base_seminar_package_due').execute()
    // due Mon 19 Oct: Wed 14 Oct is 3 working days before, Thu 15 Oct 2
    expect(await remindPackagesDue(db(), '2026-10-14')).toEqual([])
    expect(await processJob(db(), 'base.daily', { day: '2026-10-15' })).toMatchObject({ packagesReminded: 1 })
    expect(await notices()).toEqual([{ kind: 'base_seminar_package_due', params: { title: expect.any(String), dueOn: '2026-10-19' } }])
    expect(await remindPackagesDue(db(), '2026-10-16')).toEqual([a.seminarId])
    expect(await notices()).toHaveLength(1)
    expect(await remindPackagesDue(db(), '2026-10-20')).toEqual([])
  })
})
