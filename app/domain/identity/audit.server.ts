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

export async function listAudit(db: DB, { limit = 100 }: { limit?: number } = {}) {
  return db
    .selectFrom('audit_log')
    .leftJoin('accounts', 'accounts.id', 'audit_log.actor_account_id')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .select([
      'audit_log.id',
      'audit_log.action',
      'audit_log.target_type',
      'audit_log.target_id',
      'audit_log.detail',
      'audit_log.created_at',
      'people.name as actor_name',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute()
}
