import type { Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { maskedIdNumber } from '#app/domain/identity/pii.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { type HrActor, inScope, isProvinceScope } from '#app/domain/shared/scope.ts'
import type { Database, DB, SeminarLevel } from '#db/schema.ts'

import { REASON_MAX } from './approval.schema.ts'
import { recordChange, release } from './registration.server.ts'

/**
 * HR approval of seminar registrations (报名审核). A seminar with `approval_required` holds the seat
 * of a new registration as `pending_approval` until HR of the person's region decides, by
 * `approval_due_at` (policy `approvalDays`). HR approves (confirmed) or rejects with a reason (the
 * seat is freed and the waitlist promoted). Past the due time the registration is confirmed
 * (silence counts as consent, 逾期视为同意), so an unanswered request never costs anyone a seat.
 *
 * Scope as everywhere in HR tools (`inScope`): a region's HR sees people of its region; province HR
 * sees everyone, including people with no Jilin region (those from other provinces registering
 * for a national seminar).
 */

type Trx = Transaction<Database>

export type PendingApproval = {
  registrationId: number
  seminarId: number
  seminarTitle: string
  seminarLevel: SeminarLevel
  startDate: string
  endDate: string
  personName: string
  idMasked: string
  regionCode: string | null
  titleLevel: string | null
  titleSeries: string | null
  registeredAt: Date
  dueAt: Date
  overdue: boolean
}

/** Registrations waiting for this HR officer's decision, the earliest due (so the overdue ones) first. */
export async function pendingApprovals(db: DB, hr: HrActor, now: Date): Promise<PendingApproval[]> {
  let q = db
    .selectFrom('seminar_registrations as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('seminars as s', 's.id', 'r.seminar_id')
    .select([
      'r.id',
      'r.seminar_id',
      'r.created_at',
      'r.approval_due_at',
      's.title',
      's.level',
      's.start_date',
      's.end_date',
      'p.name',
      'p.id_number_enc',
      'p.region_code',
      'p.title_level',
      'p.title_series',
    ])
    .where('r.status', '=', 'pending_approval')
    .where('r.person_id', '!=', hr.personId)
    .orderBy('r.approval_due_at')
    .orderBy('r.id')
  if (!isProvinceScope(hr.scopeRegion)) q = q.where('p.region_code', '=', hr.scopeRegion)
  const rows = await q.execute()
  return rows.map((r) => {
    const dueAt = r.approval_due_at ?? now
    return {
      registrationId: r.id,
      seminarId: r.seminar_id,
      seminarTitle: r.title,
      seminarLevel: r.level,
      startDate: r.start_date,
      endDate: r.end_date,
      personName: r.name,
      idMasked: maskedIdNumber(r.id_number_enc),
      regionCode: r.region_code,
      titleLevel: r.title_level,
      titleSeries: r.title_series,
      registeredAt: r.created_at,
      dueAt,
      overdue: dueAt.getTime() <= now.getTime(),
    }
  })
}

/** How many registrations wait for this HR officer (the HR home page's count). */
export async function pendingApprovalCount(db: DB, hr: { scopeRegion: string; personId: number }): Promise<number> {
  let q = db
    .selectFrom('seminar_registrations as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.status', '=', 'pending_approval')
    .where('r.person_id', '!=', hr.personId)
  if (!isProvinceScope(hr.scopeRegion)) q = q.where('p.region_code', '=', hr.scopeRegion)
  const row = await q.executeTakeFirstOrThrow()
  return Number(row.n)
}

export type Decision = 'approve' | 'reject'
export type DecideCode = 'not_found' | 'out_of_scope' | 'not_pending' | 'reason_required'

/**
 * HR decides one pending registration. Refused with nothing written: a registration of a person
 * outside the officer's scope (or their own) → `out_of_scope`; one no longer pending (decided,
 * cancelled, or confirmed by the deadline) → `not_pending`; a rejection without a reason →
 * `reason_required`. The registration row is locked first, so a decision and the deadline sweep
 * (SKIP LOCKED) never both act on it.
 */
export async function decideRegistration(
  trx: Trx,
  hr: HrActor,
  registrationId: number,
  decision: Decision,
  reason: string,
  now: Date,
): Promise<Result<{ status: 'confirmed' | 'rejected' }, DecideCode>> {
  const reg = await trx
    .selectFrom('seminar_registrations')
    .select(['id', 'seminar_id', 'person_id', 'status', 'quota_id'])
    .where('id', '=', registrationId)
    .forUpdate()
    .executeTakeFirst()
  if (!reg) return err('not_found')
  const person = await trx.selectFrom('people').select('region_code').where('id', '=', reg.person_id).executeTakeFirstOrThrow()
  if (reg.person_id === hr.personId || !inScope(hr.scopeRegion, person.region_code)) return err('out_of_scope')
  if (reg.status !== 'pending_approval') return err('not_pending')
  const text = reason.trim().slice(0, REASON_MAX)
  if (decision === 'reject' && text === '') return err('reason_required')
  const seminar = await trx.selectFrom('seminars').select(['id', 'title']).where('id', '=', reg.seminar_id).executeTakeFirstOrThrow()

  if (decision === 'approve') {
    await trx
      .updateTable('seminar_registrations')
      .set({ status: 'confirmed', approval_due_at: null, updated_at: now })
      .where('id', '=', reg.id)
      .execute()
    await recordChange(trx, {
      registrationId: reg.id,
      personId: reg.person_id,
      seminar,
      from: 'pending_approval',
      to: 'confirmed',
      reason: text === '' ? 'approved' : `approved: ${text}`,
      actorAccountId: hr.accountId,
      quotaId: reg.quota_id,
    })
  } else {
    await release(trx, reg, seminar, 'rejected', hr.accountId, now, { reason: `rejected: ${text}`, params: { reason: text } })
  }
  await audit(trx, {
    actorAccountId: hr.accountId,
    action: decision === 'approve' ? 'seminar.registration.approve' : 'seminar.registration.reject',
    targetType: 'seminar_registration',
    targetId: reg.id,
    detail: { seminarId: reg.seminar_id, ...(text === '' ? {} : { reason: text }) },
  })
  return ok({ status: decision === 'approve' ? 'confirmed' : 'rejected' })
}

/**
 * Confirms every registration still pending past its due time (of one seminar, or all): the
 * `seminar.approval_deadline` job and the daily sweep. Rows are locked with SKIP LOCKED, so two
 * sweeps at once confirm each registration once, and a registration HR is deciding right now is
 * left to HR (their decision then finds it still pending, or the next sweep finds it decided).
 */
export async function confirmOverdueApprovals(db: DB, now: Date, seminarId?: number): Promise<{ confirmed: number[] }> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('seminar_registrations')
      .select(['id', 'seminar_id', 'person_id', 'quota_id'])
      .where('status', '=', 'pending_approval')
      .where('approval_due_at', '<=', now)
      .orderBy('id')
      .forUpdate()
      .skipLocked()
    if (seminarId !== undefined) q = q.where('seminar_id', '=', seminarId)
    const due = await q.execute()
    const confirmed: number[] = []
    for (const reg of due) {
      const changed = await trx
        .updateTable('seminar_registrations')
        .set({ status: 'confirmed', approval_due_at: null, updated_at: now })
        .where('id', '=', reg.id)
        .where('status', '=', 'pending_approval')
        .returning('id')
        .executeTakeFirst()
      if (!changed) continue
      const seminar = await trx.selectFrom('seminars').select(['id', 'title']).where('id', '=', reg.seminar_id).executeTakeFirstOrThrow()
      await recordChange(trx, {
        registrationId: reg.id,
        personId: reg.person_id,
        seminar,
        from: 'pending_approval',
        to: 'confirmed',
        reason: 'approval_deadline_passed',
        actorAccountId: null,
        quotaId: reg.quota_id,
      })
      confirmed.push(reg.id)
    }
    return { confirmed }
  })
}
