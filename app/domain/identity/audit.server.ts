import { sql } from 'kysely'

import type { DB } from '#db/schema.ts'

export type AuditEntry = {
  actorAccountId: number | null
  action: string
  targetType: string
  targetId?: string | number | null
  /** A summary of what changed. Never put an unmasked ID number or a password here. */
  detail?: Record<string, unknown>
}

/** Every privileged action is written here, in the same transaction as the action itself. */
export async function audit(db: DB, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_account_id: entry.actorAccountId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId == null ? null : String(entry.targetId),
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute()
}

export type AuditFilter = {
  /** An actor's account id; 0 for actions without one (the CLI, the system). */
  actor?: number
  action?: string
  /** Calendar days in China time, inclusive ('2026-11-01'). */
  from?: string
  to?: string
}

export const AUDIT_PAGE_SIZE = 50

/** The start of a China calendar day (UTC+8, no daylight saving) as an instant. */
function chinaDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`)
}

function filtered(db: DB, f: AuditFilter) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('accounts', 'accounts.id', 'audit_log.actor_account_id')
    .leftJoin('people', 'people.id', 'accounts.person_id')
  if (f.actor === 0) q = q.where('audit_log.actor_account_id', 'is', null)
  else if (f.actor) q = q.where('audit_log.actor_account_id', '=', f.actor)
  if (f.action) q = q.where('audit_log.action', '=', f.action)
  if (f.from) q = q.where('audit_log.created_at', '>=', chinaDayStart(f.from))
  if (f.to) q = q.where('audit_log.created_at', '<', new Date(chinaDayStart(f.to).getTime() + 86_400_000))
  return q
}

/**
 * The audit log, newest first, filtered and paged (page 1 is the newest). Each row has the
 * actor's name and role (null for the CLI) and, for rows about a person or an account, that
 * person's name.
 */
export async function listAudit(db: DB, filter: AuditFilter = {}, { page = 1, pageSize = AUDIT_PAGE_SIZE } = {}) {
  const base = filtered(db, filter)
  const [rows, total] = await Promise.all([
    base
      .leftJoin('people as target_person', (j) =>
        j.on((eb) => eb.and([eb('audit_log.target_type', '=', 'person'), eb(sql`audit_log.target_id`, '=', sql`target_person.id::text`)])),
      )
      .leftJoin('accounts as target_account', (j) =>
        j.on((eb) =>
          eb.and([eb('audit_log.target_type', '=', 'account'), eb(sql`audit_log.target_id`, '=', sql`target_account.id::text`)]),
        ),
      )
      .leftJoin('people as account_person', 'account_person.id', 'target_account.person_id')
      .select([
        'audit_log.id',
        'audit_log.action',
        'audit_log.target_type',
        'audit_log.target_id',
        'audit_log.detail',
        'audit_log.created_at',
        'audit_log.actor_account_id',
        'people.name as actor_name',
        'accounts.role as actor_role',
        (eb) => eb.fn.coalesce('target_person.name', 'account_person.name').as('target_name'),
      ])
      .orderBy('audit_log.id', 'desc')
      .limit(pageSize)
      .offset((Math.max(1, page) - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

/** Everyone who appears as an actor, for the filter (staff names, not ids). */
export async function auditActors(db: DB) {
  return db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .select(['accounts.id', 'people.name', 'accounts.role'])
    .where((eb) => eb.exists(eb.selectFrom('audit_log').select('audit_log.id').whereRef('audit_log.actor_account_id', '=', 'accounts.id')))
    .orderBy('people.name')
    .execute()
}

/** The actions that occur in the log, for the filter. */
export async function auditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
  return rows.map((r) => r.action)
}
