import type { Transaction } from 'kysely'

import { PROVINCE } from '#app/domain/shared/reference.ts'
import type { Database, DB, Role } from '#db/schema.ts'

import type { Actor, LifecycleEventType, LifecycleState, SectionReasons, TransitionContext } from './lifecycle.ts'

/**
 * What the bases modules share: who acts, today in China, the status event written with every
 * transition, and notices to a base's people. Internal to app/domain/bases.
 */

/** The lifecycle actor of a signed-in account. Any account that is not staff acts as an applicant. */
export function actorOf(account: { id: number; role: Role; base_id: number | null; scope_region: string | null }): Actor {
  // A member of a base acts for it on its pages, whether a learner who also works there or a
  // base-only account (ADR 0020); elsewhere (applying for another base) callers pass base_id null.
  if (account.base_id !== null && (account.role === 'learner' || account.role === 'base_staff'))
    return { role: 'base_staff', accountId: account.id, baseId: account.base_id }
  switch (account.role) {
    case 'admin':
      return { role: 'admin', accountId: account.id }
    case 'hr':
      return { role: 'hr', accountId: account.id, scopeRegion: account.scope_region ?? '' }
    default:
      return { role: 'applicant', accountId: account.id }
  }
}

export const SYSTEM: Actor = { role: 'system' }

export function accountIdOf(actor: Actor): number | null {
  return actor.role === 'system' ? null : actor.accountId
}

/** Today's calendar day in China (UTC+8) as 'YYYY-MM-DD'. */
export function chinaDay(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

export function contextFor(actor: Actor, subject: TransitionContext['subject'], on: string): TransitionContext {
  return { actor, subject, on, provinceCode: PROVINCE.code }
}

export type StatusEvent = {
  applicationId?: number | null
  baseId?: number | null
  caseId?: number | null
  event: LifecycleEventType | 'create' | 'edit'
  from: LifecycleState | null
  to: LifecycleState
  actor: Actor
  reason?: string | null
  documentNumber?: string | null
  sectionReasons?: SectionReasons | null
  detail?: Record<string, unknown>
}

/** Appends the status event of a transition, in the transaction that made it. */
export async function recordEvent(trx: Transaction<Database>, e: StatusEvent): Promise<number> {
  const row = await trx
    .insertInto('base_status_events')
    .values({
      application_id: e.applicationId ?? null,
      base_id: e.baseId ?? null,
      case_id: e.caseId ?? null,
      event: e.event,
      from_state: e.from,
      to_state: e.to,
      actor_account_id: accountIdOf(e.actor),
      actor_role: e.actor.role,
      reason: e.reason ?? null,
      document_number: e.documentNumber ?? null,
      section_reasons: e.sectionReasons ? JSON.stringify(e.sectionReasons) : null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * An in-app notice (kind `base_<event>`, worded from its kind in the reader's language) to every
 * active staff account of the base and to the applicant; idempotent by `dedupeKey`.
 */
export async function notifyBase(
  db: DB,
  target: { baseId: number | null; applicantAccountId?: number | null },
  kind: string,
  dedupeKey: string,
  params: Record<string, unknown>,
): Promise<number> {
  let q = db.selectFrom('accounts').select('person_id').where('disabled_at', 'is', null)
  q = q.where((eb) =>
    eb.or([
      ...(target.baseId !== null
        ? [
            eb(
              'id',
              'in',
              eb.selectFrom('base_members').select('account_id').where('base_id', '=', target.baseId).where('ended_at', 'is', null),
            ),
          ]
        : []),
      ...(target.applicantAccountId != null ? [eb('id', '=', target.applicantAccountId)] : []),
      eb.val(false),
    ]),
  )
  const people = [...new Set((await q.execute()).map((r) => r.person_id))]
  if (people.length === 0) return 0
  await db
    .insertInto('notices')
    .values(people.map((p) => ({ person_id: p, kind, dedupe_key: `${dedupeKey}:${p}`, params: JSON.stringify(params) })))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute()
  return people.length
}
