import { afterAll, describe, expect, test } from 'vitest'

import { chinaDay } from '#app/domain/bases/events.server.ts'
import { seminarPolicyOn } from '#app/domain/policy/seminars-policy.server.ts'
import {
  confirmOverdueApprovals,
  decideRegistration,
  pendingApprovalCount,
  pendingApprovals,
} from '#app/domain/seminars/approval.server.ts'
import { promote, register } from '#app/domain/seminars/registration.server.ts'
import type { HrActor } from '#app/domain/shared/scope.ts'
import { createDb, getDb } from '#app/lib/db.server.ts'
import { tx } from '#test/factories/bases.ts'
import { createStaff } from '#test/factories/people.ts'
import { clickKey, createSeminar, learnerFrom, quotasOf, registrationsOf } from '#test/factories/seminars.ts'
import { processJob } from '#workers/jobs/index.ts'

const db = () => getDb()
const wide = createDb(process.env.DATABASE_URL!, 10)
afterAll(async () => {
  await wide.destroy()
})

const now = new Date()
const DAY = 24 * 3600_000

async function hrOf(scopeRegion: string): Promise<HrActor> {
  const s = await createStaff(db(), 'hr', { scopeRegion })
  return { accountId: s.accountId, personId: s.personId, scopeRegion }
}

async function counts() {
  const n = async (t: 'seminar_registration_events' | 'notices' | 'outbox' | 'audit_log') =>
    Number(
      (
        await db()
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    events: await n('seminar_registration_events'),
    notices: await n('notices'),
    outbox: await n('outbox'),
    audit: await n('audit_log'),
  }
}

const regRow = (id: number) =>
  db().selectFrom('seminar_registrations').select(['status', 'quota_id', 'approval_due_at']).where('id', '=', id).executeTakeFirstOrThrow()
const eventsOf = (id: number) =>
  db()
    .selectFrom('seminar_registration_events')
    .select(['from_status', 'to_status', 'reason', 'actor_account_id'])
    .where('registration_id', '=', id)
    .orderBy('id')
    .execute()
const noticesOf = (personId: number) =>
  db().selectFrom('notices').select(['kind', 'params']).where('person_id', '=', personId).orderBy('id').execute()

/** A seminar needing approval, and a registration of a Changchun (220100) learner holding its seat. */
async function pendingOne(spec: { capacity?: number } = {}) {
  const { seminarId } = await createSeminar(db(), { capacity: spec.capacity ?? 5, approvalRequired: true })
  const learner = await learnerFrom(db())
  const r = await tx(db(), (t) => register(t, learner, seminarId, clickKey(), now))
  if (!r.ok) throw new Error(r.code)
  expect(r.status).toBe('pending_approval')
  return { seminarId, learner, registrationId: r.registrationId }
}

describe('registering for a seminar that needs approval', () => {
  test('holds the seat, sets the due time from policy, and puts the deadline job in the outbox delayed until then', async () => {
    const { seminarId, registrationId } = await pendingOne()
    const row = await regRow(registrationId)
    expect(row.quota_id).not.toBeNull()
    const start = (await db().selectFrom('seminars').select('start_date').where('id', '=', seminarId).executeTakeFirstOrThrow()).start_date
    expect(row.approval_due_at!.getTime()).toBe(now.getTime() + seminarPolicyOn(start).approvalDays * DAY)
    const jobs = await db().selectFrom('outbox').select('payload').where('job_name', '=', 'seminar.approval_deadline').execute()
    expect(jobs.map((j) => j.payload)).toEqual([{ seminarId, at: row.approval_due_at!.toISOString() }])
  })
})

describe('HR decides', () => {
  test('approve → confirmed, with an event naming the officer and a notice to the person', async () => {
    const { learner, registrationId } = await pendingOne()
    const hr = await hrOf('220100')
    const r = await tx(db(), (t) => decideRegistration(t, hr, registrationId, 'approve', '', now))
    expect(r).toEqual({ ok: true, status: 'confirmed' })
    const row = await regRow(registrationId)
    expect(row.status).toBe('confirmed')
    expect(row.approval_due_at).toBeNull()
    expect(row.quota_id).not.toBeNull()
    const events = await eventsOf(registrationId)
    expect(events.at(-1)).toMatchObject({ from_status: 'pending_approval', to_status: 'confirmed', actor_account_id: hr.accountId })
    expect((await noticesOf(learner.personId)).map((n) => n.kind)).toEqual(['seminar_pending_approval', 'seminar_confirmed'])
    // Decided once: a second decision is refused.
    const again = await tx(db(), (t) => decideRegistration(t, hr, registrationId, 'reject', 'too late', now))
    expect(again).toMatchObject({ ok: false, code: 'not_pending' })
  })

  test('reject needs a reason; with one it frees the seat, and the next person waiting is promoted', async () => {
    const { seminarId, learner, registrationId } = await pendingOne({ capacity: 1 })
    const next = await learnerFrom(db())
    const waiting = await tx(db(), (t) => register(t, next, seminarId, clickKey(), now))
    expect(waiting).toMatchObject({ ok: true, status: 'waitlisted' })
    const hr = await hrOf('220100')

    const before = await counts()
    const noReason = await tx(db(), (t) => decideRegistration(t, hr, registrationId, 'reject', '   ', now))
    expect(noReason).toMatchObject({ ok: false, code: 'reason_required' })
    expect(await counts()).toEqual(before)
    expect((await regRow(registrationId)).status).toBe('pending_approval')

    const r = await tx(db(), (t) => decideRegistration(t, hr, registrationId, 'reject', '本单位本年度已派员参加', now))
    expect(r).toEqual({ ok: true, status: 'rejected' })
    const row = await regRow(registrationId)
    expect(row).toMatchObject({ status: 'rejected', quota_id: null, approval_due_at: null })
    expect(await quotasOf(db(), seminarId)).toEqual({ open: { size: 1, taken: 0 } })
    expect((await eventsOf(registrationId)).at(-1)).toMatchObject({
      to_status: 'rejected',
      actor_account_id: hr.accountId,
      reason: 'rejected: 本单位本年度已派员参加',
    })
    const notices = await noticesOf(learner.personId)
    expect(notices.at(-1)).toMatchObject({ kind: 'seminar_rejected', params: { reason: '本单位本年度已派员参加' } })
    const promoteJobs = await db().selectFrom('outbox').select('payload').where('job_name', '=', 'seminar.promote').execute()
    expect(promoteJobs.map((j) => j.payload)).toContainEqual({ seminarId })

    // The promotion the rejection enqueued: the next person gets the seat (and waits for approval in turn).
    const promoted = await promote(db(), seminarId, now)
    expect(promoted.promoted).toEqual([waiting.ok ? waiting.registrationId : -1])
    const regs = await registrationsOf(db(), seminarId)
    expect(regs.map((x) => x.status)).toEqual(['rejected', 'pending_approval'])
  })

  test('HR of another region is refused and nothing is written; province HR may decide', async () => {
    const { registrationId } = await pendingOne()
    const other = await hrOf('220200')
    const before = await counts()
    for (const decision of ['approve', 'reject'] as const) {
      const r = await tx(db(), (t) => decideRegistration(t, other, registrationId, decision, '理由', now))
      expect(r).toMatchObject({ ok: false, code: 'out_of_scope' })
    }
    expect(await counts()).toEqual(before)
    expect((await regRow(registrationId)).status).toBe('pending_approval')
    expect(await pendingApprovals(db(), other, now)).toEqual([])

    const province = await hrOf('220000')
    expect(await tx(db(), (t) => decideRegistration(t, province, registrationId, 'approve', '', now))).toMatchObject({ ok: true })
  })

  test('a person from another province (no Jilin region) falls to province HR only', async () => {
    const { seminarId } = await createSeminar(db(), { approvalRequired: true })
    const beijing = await learnerFrom(db(), '110105', { region: null })
    const r = await tx(db(), (t) => register(t, beijing, seminarId, clickKey(), now))
    expect(r).toMatchObject({ ok: true, status: 'pending_approval' })
    const city = await hrOf('220100')
    const province = await hrOf('220000')
    expect(await pendingApprovals(db(), city, now)).toEqual([])
    expect(await pendingApprovalCount(db(), city)).toBe(0)
    const list = await pendingApprovals(db(), province, now)
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ seminarId, regionCode: null, overdue: false })
    // The ID number appears masked only.
    expect(list[0]!.idMasked).not.toBe(beijing.idNumber)
    expect(list[0]!.idMasked).toContain('*')
    expect(JSON.stringify(list)).not.toContain(beijing.idNumber)
    expect(await pendingApprovalCount(db(), province)).toBe(1)
  })

  test('the list puts the overdue first and flags them', async () => {
    const first = await pendingOne()
    const second = await pendingOne()
    // The first one waited longer: past its due time.
    await db()
      .updateTable('seminar_registrations')
      .set({ approval_due_at: new Date(now.getTime() - DAY) })
      .where('id', '=', second.registrationId)
      .execute()
    const list = await pendingApprovals(db(), await hrOf('220100'), now)
    expect(list.map((x) => [x.registrationId, x.overdue])).toEqual([
      [second.registrationId, true],
      [first.registrationId, false],
    ])
  })
})

describe('the approval deadline', () => {
  test('two sweeps at once confirm each overdue registration exactly once; what is not due stays pending', async () => {
    const a = await pendingOne()
    const b = await pendingOne()
    const c = await pendingOne()
    const dueLater = await regRow(c.registrationId)
    const late = new Date(now.getTime() + seminarPolicyOn(chinaDay()).approvalDays * DAY + 1000)
    await db()
      .updateTable('seminar_registrations')
      .set({ approval_due_at: new Date(late.getTime() + DAY) })
      .where('id', '=', c.registrationId)
      .execute()

    const sweeps = await Promise.all([confirmOverdueApprovals(wide, late), confirmOverdueApprovals(wide, late)])
    const all = sweeps.flatMap((s) => s.confirmed).sort((x, y) => x - y)
    expect(all).toEqual([a.registrationId, b.registrationId].sort((x, y) => x - y))
    for (const id of [a.registrationId, b.registrationId]) {
      expect((await regRow(id)).status).toBe('confirmed')
      const deadline = (await eventsOf(id)).filter((e) => e.reason === 'approval_deadline_passed')
      expect(deadline).toEqual([
        { from_status: 'pending_approval', to_status: 'confirmed', reason: 'approval_deadline_passed', actor_account_id: null },
      ])
    }
    expect((await noticesOf(a.learner.personId)).map((n) => n.kind)).toEqual(['seminar_pending_approval', 'seminar_confirmed'])
    expect((await regRow(c.registrationId)).status).toBe('pending_approval')
    expect(dueLater.status).toBe('pending_approval')
    // A third sweep finds nothing more.
    expect(await confirmOverdueApprovals(db(), late)).toEqual({ confirmed: [] })
  })

  test('a registration HR decided just before the sweep is left as HR decided', async () => {
    const rejected = await pendingOne()
    const hr = await hrOf('220100')
    await tx(db(), (t) => decideRegistration(t, hr, rejected.registrationId, 'reject', '名额已满', now))
    const late = new Date(now.getTime() + 30 * DAY)
    expect(await confirmOverdueApprovals(db(), late)).toEqual({ confirmed: [] })
    expect((await regRow(rejected.registrationId)).status).toBe('rejected')
  })

  test('a sweep does not wait on a registration HR is deciding right now (SKIP LOCKED), and HR still decides it', async () => {
    const { registrationId } = await pendingOne()
    const hr = await hrOf('220100')
    const late = new Date(now.getTime() + 30 * DAY)
    let swept: { confirmed: number[] } | null = null
    await wide.transaction().execute(async (t) => {
      await t.selectFrom('seminar_registrations').select('id').where('id', '=', registrationId).forUpdate().execute()
      swept = await confirmOverdueApprovals(db(), late)
      const r = await decideRegistration(t, hr, registrationId, 'reject', '不符合条件', late)
      expect(r).toMatchObject({ ok: true, status: 'rejected' })
    })
    expect(swept).toEqual({ confirmed: [] })
    expect((await regRow(registrationId)).status).toBe('rejected')
  })

  test('the delayed job run early changes nothing; the daily run catches an overdue one', async () => {
    const { seminarId, registrationId } = await pendingOne()
    const row = await regRow(registrationId)
    expect(await processJob(db(), 'seminar.approval_deadline', { seminarId, at: row.approval_due_at!.toISOString() })).toEqual({
      confirmed: [],
    })
    expect((await regRow(registrationId)).status).toBe('pending_approval')
    // Its delayed job was lost and the due time has passed: the daily run confirms it.
    await db()
      .updateTable('seminar_registrations')
      .set({ approval_due_at: new Date(Date.now() - 1000) })
      .where('id', '=', registrationId)
      .execute()
    const daily = (await processJob(db(), 'base.daily', { day: chinaDay() })) as { approvalsConfirmed: number }
    expect(daily.approvalsConfirmed).toBe(1)
    expect((await regRow(registrationId)).status).toBe('confirmed')
  })
})
