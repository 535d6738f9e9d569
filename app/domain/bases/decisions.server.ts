import type { Transaction } from 'kysely'

import { audit } from '#app/domain/identity/audit.server.ts'
import { basesPolicyFile, basesPolicyOn } from '#app/domain/policy/bases-policy.server.ts'
import { err, ok, type Result } from '#app/domain/shared/result.ts'
import { inScope } from '#app/domain/shared/scope.ts'
import type { BaseStatus, Database, DB } from '#db/schema.ts'

import { type ApplicationCode, applyApplicationEvent, eventKey } from './applications.server.ts'
import { accountIdOf, chinaDay, contextFor, notifyBase, recordEvent, SYSTEM } from './events.server.ts'
import {
  type Actor,
  addDays,
  type LifecycleEvent,
  type LifecycleState,
  noticePeriod,
  termEnd,
  transition,
  type TransitionCode,
} from './lifecycle.ts'
import { addMember, membershipOf } from './members.server.ts'

/**
 * The province's decisions (认定): approve a forwarded application into its public notice (公示)
 * with a decision number, the notice dates and the term computed from the bases policy in force;
 * reject it (also during the notice); designate the base once the notice is over. Also the shared
 * runner of base-level events, used by rectification.server.ts.
 */

/** A base's stored status as a lifecycle state ('applied' rows predate the lifecycle: nothing applies to them). */
export function lifecycleStateOf(status: BaseStatus): LifecycleState {
  return status === 'applied' ? 'draft' : status
}

export type BaseRow = {
  id: number
  name: string
  region_code: string
  status: BaseStatus
  notice_end: string | null
}

/**
 * Runs one lifecycle event on a base: locks it, checks the transition, runs `write` (the event's
 * own columns), sets the new status, appends the status event and the audit row.
 */
export async function applyBaseEvent(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  event: LifecycleEvent,
  opts: {
    on: string
    write?: (base: BaseRow, next: LifecycleState) => Promise<{ caseId?: number; detail?: Record<string, unknown> } | void>
    reason?: string | null
    documentNumber?: string | null
  },
): Promise<Result<{ base: BaseRow; next: LifecycleState; eventId: number; caseId: number | null }, TransitionCode | 'not_found'>> {
  const base = await trx
    .selectFrom('bases')
    .select(['id', 'name', 'region_code', 'status', 'notice_end'])
    .where('id', '=', baseId)
    .forUpdate()
    .executeTakeFirst()
  if (!base) return err('not_found')
  // HR outside the base's region and other bases' staff learn nothing about it.
  if ((actor.role === 'hr' && !inScope(actor.scopeRegion, base.region_code)) || (actor.role === 'base_staff' && actor.baseId !== base.id))
    return err('not_found')
  const from = lifecycleStateOf(base.status)
  const subject = { regionCode: base.region_code, applicantAccountId: 0, baseId: base.id, noticeEnd: base.notice_end }
  const t = transition(from, event, contextFor(actor, subject, opts.on))
  if (!t.ok) return err(t.code)
  const written = (await opts.write?.(base, t.next)) ?? {}
  if (t.next !== from) {
    await trx
      .updateTable('bases')
      .set({ status: t.next as BaseStatus })
      .where('id', '=', base.id)
      .execute()
  }
  const eventId = await recordEvent(trx, {
    baseId: base.id,
    caseId: written.caseId ?? null,
    event: event.type,
    from,
    to: t.next,
    actor,
    reason: opts.reason ?? null,
    documentNumber: opts.documentNumber ?? null,
    detail: written.detail ?? {},
  })
  await audit(trx, {
    actorAccountId: accountIdOf(actor),
    action: `base.${event.type}`,
    targetType: 'base',
    targetId: base.id,
    detail: { from, to: t.next, ...(written.caseId ? { caseId: written.caseId } : {}) },
  })
  return ok({ base, next: t.next, eventId, caseId: written.caseId ?? null })
}

export type Approval = { decisionNumber: string; noticeStart: string }

/**
 * The province approves a forwarded application: the base (a new row, or the revoked or rejected
 * row of the same credit code) enters its public notice; its term starts the day after the notice.
 * The applicant and the base's staff are told.
 */
export async function approveApplication(
  trx: Transaction<Database>,
  actor: Actor,
  applicationId: number,
  approval: Approval,
  { on = chinaDay() }: { on?: string } = {},
): Promise<Result<{ baseId: number; noticeEnd: string; termStart: string; termEnd: string }, ApplicationCode>> {
  const policy = basesPolicyOn(basesPolicyFile(), on)
  const notice = noticePeriod(approval.noticeStart, policy.noticeDays)
  const termStart = addDays(notice.noticeEnd, 1)
  const term = { term_start: termStart, term_end: termEnd(termStart, policy.termYears) }
  const r = await applyApplicationEvent(
    trx,
    actor,
    applicationId,
    { type: 'approve', decisionNumber: approval.decisionNumber, noticeStart: approval.noticeStart },
    {
      on,
      documentNumber: approval.decisionNumber.trim(),
      prepare: async (app) => {
        // The base's public profile starts with the fields it applied for; its staff edit them later.
        const fields = await trx
          .selectFrom('base_applications')
          .select('training_fields')
          .where('id', '=', app.id)
          .executeTakeFirstOrThrow()
        const values = {
          name: app.institution_name,
          region_code: app.region_code,
          status: 'approved' as const,
          decision_number: approval.decisionNumber.trim(),
          notice_start: notice.noticeStart,
          notice_end: notice.noticeEnd,
          ...term,
          revoked_on: null,
          revocation_document: null,
          status_before_revocation: null,
          policy_version: policy.version,
          training_fields: JSON.stringify(fields.training_fields),
        }
        const row = await trx
          .insertInto('bases')
          .values({ credit_code: app.credit_code, ...values })
          .onConflict((oc) => oc.column('credit_code').doUpdateSet(values))
          .returning('id')
          .executeTakeFirstOrThrow()
        return { baseId: row.id, detail: { ...notice, termStart, termEnd: term.term_end, policyVersion: policy.version } }
      },
    },
  )
  if (!r.ok) return r
  const baseId = r.application.base_id!
  await makeApplicantAdmin(trx, baseId, r.application.applicant_account_id, accountIdOf(actor))
  await notifyBase(trx, { baseId, applicantAccountId: r.application.applicant_account_id }, 'base_approved', eventKey(r), {
    name: r.application.institution_name,
    decisionNumber: approval.decisionNumber.trim(),
    ...notice,
  })
  return ok({ baseId, noticeEnd: notice.noticeEnd, termStart, termEnd: term.term_end })
}

/** The province refuses a forwarded application, or withdraws an approval during its public notice. */
export async function rejectApplication(
  trx: Transaction<Database>,
  actor: Actor,
  applicationId: number,
  reason: string,
  { on = chinaDay() }: { on?: string } = {},
): Promise<Result<object, ApplicationCode>> {
  const r = await applyApplicationEvent(trx, actor, applicationId, { type: 'reject', reason }, { on, reason: reason.trim() })
  if (!r.ok) return r
  if (r.application.state === 'approved' && r.application.base_id !== null) {
    await trx.updateTable('bases').set({ status: 'rejected' }).where('id', '=', r.application.base_id).execute()
  }
  await notifyBase(
    trx,
    { baseId: r.application.base_id, applicantAccountId: r.application.applicant_account_id },
    'base_rejected',
    eventKey(r),
    {
      name: r.application.institution_name,
    },
  )
  return ok()
}

/**
 * Designates a base whose public notice is over (the province, or the system for every base due:
 * see `designateDue`). Its status on a date is already `designated` after the notice (`statusOn`);
 * this records the step in its history and tells its staff.
 */
export async function designateBase(
  trx: Transaction<Database>,
  actor: Actor,
  baseId: number,
  { on = chinaDay() }: { on?: string } = {},
): Promise<Result<object, TransitionCode | 'not_found'>> {
  const r = await applyBaseEvent(trx, actor, baseId, { type: 'designate' }, { on })
  if (!r.ok) return r
  await notifyBase(trx, { baseId }, 'base_designated', `base-event:${r.eventId}`, { name: r.base.name })
  return ok()
}

/** Designates every base whose notice ended before `on`; returns how many. Idempotent (a run job or a CLI). */
export async function designateDue(db: DB, { on = chinaDay() }: { on?: string } = {}): Promise<number> {
  const due = await db.selectFrom('bases').select('id').where('status', '=', 'approved').where('notice_end', '<', on).execute()
  let n = 0
  for (const { id } of due) {
    const r = await db.transaction().execute((trx) => designateBase(trx, SYSTEM, id, { on }))
    if (r.ok) n += 1
  }
  return n
}

/**
 * The applicant becomes the first admin of the base their application created (ADR 0020), unless
 * they already work for a base (then a base admin or the province adds staff) or are regulator
 * staff. Their own learner account and hours are untouched.
 */
async function makeApplicantAdmin(trx: Transaction<Database>, baseId: number, applicantAccountId: number, by: number | null) {
  const applicant = await trx.selectFrom('accounts').select('role').where('id', '=', applicantAccountId).executeTakeFirstOrThrow()
  if (applicant.role !== 'learner' && applicant.role !== 'base_staff') return
  if (await membershipOf(trx, applicantAccountId)) return
  await addMember(trx, { baseId, accountId: applicantAccountId, isAdmin: true, how: 'approval', addedBy: by })
}
